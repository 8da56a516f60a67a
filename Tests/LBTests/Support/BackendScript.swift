/// The Python 3 source of the test backend (see `Backend`). Written to each test's directory and
/// run with `python3 backend.py NAME PORT [HEALTH_STATUS]`.
enum BackendScript {
    static let source = #"""
"""A test backend for Wharf's load balancer tests: HTTP/1.1 on loopback, one thread per
connection. Prints its port on the first line of stdout once it is listening.

Every response is written with one sendall (head and body together) unless it streams, so a
backend killed mid-load never leaves a half-written small response behind.

Paths (all answers carry X-Backend: NAME):
  /__control/stats             counters as JSON (not counted)
  /__control/set?health=C&delay_ms=N   change behaviour (not counted)
  /health                      the health-check answer, status `health` (counted apart)
  /delay?ms=N                  answers after N ms
  /status?code=N               answers with status N (no body for 204/304, none for HEAD)
  /echo                        body: the request head as received, then the request body
  /upload                      reads the body (Content-Length or chunked), checks it is the
                               test pattern, answers "length=N sha256=H pattern=ok|bad"
  /large?bytes=N&chunked=1     N bytes of the test pattern, Content-Length or chunked
  /broken?kind=K               a response with broken framing, then closes
  /hop                         a response carrying hop-by-hop fields
  /ws                          WebSocket: 101, a greeting frame, then echoes frames
  anything else                "backend=NAME path=PATH"
"""
import base64
import hashlib
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PERIOD = 65521
BLOCK = bytes(((j * 131 + (j >> 8)) & 0xFF) for j in range(PERIOD))
BLOCK2 = BLOCK + BLOCK


def pattern(offset, length):
    out = bytearray()
    while length > 0:
        start = offset % PERIOD
        take = min(length, PERIOD)
        out += BLOCK2[start:start + take]
        offset += take
        length -= take
    return bytes(out)


class State:
    def __init__(self, name, health):
        self.lock = threading.Lock()
        self.name = name
        self.health = health
        self.delay_ms = 0
        self.requests = 0
        self.health_checks = 0
        self.paths = {}
        self.open_connections = 0


STATE = None
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        with STATE.lock:
            STATE.open_connections += 1

    def finish(self):
        try:
            super().finish()
        finally:
            with STATE.lock:
                STATE.open_connections -= 1

    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = do_GET

    # Responses

    def reply(self, status, body=b"", headers=(), reason=None, close=False, length=None):
        if reason is None:
            reason = self.responses.get(status, ("Status",))[0]
        lines = ["HTTP/1.1 %d %s" % (status, reason), "X-Backend: " + STATE.name]
        lines += ["%s: %s" % item for item in headers]
        no_body = status in (204, 304) or 100 <= status < 200
        if not no_body:
            lines.append("Content-Length: %d" % (len(body) if length is None else length))
        if close:
            lines.append("Connection: close")
            self.close_connection = True
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if self.command == "HEAD" or no_body:
            body = b""
        self.wfile.write(head + body)

    # Request bodies

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = bytearray()
            while True:
                line = self.rfile.readline(1024)
                size = int(line.split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline(16)
        length = int(self.headers.get("Content-Length", "0") or "0")
        return self.rfile.read(length) if length else b""

    # Dispatch

    def dispatch(self):
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        path = url.path
        if getattr(self, "drop_next", False):
            # Armed by /drop-next: close this keep-alive connection without answering, as a
            # target does when its idle timeout fires just as a request arrives.
            self.drop_next = False
            self.close_connection = True
            return
        if path.startswith("/__control/"):
            return self.control(path, query)
        if path == "/health":
            with STATE.lock:
                STATE.health_checks += 1
                status = STATE.health
            return self.reply(status, b"health\n")
        with STATE.lock:
            STATE.requests += 1
            STATE.paths[path] = STATE.paths.get(path, 0) + 1
            delay = STATE.delay_ms
        if delay:
            time.sleep(delay / 1000.0)
        if path == "/delay":
            time.sleep(int(query.get("ms", "0")) / 1000.0)
            return self.reply(200, ("backend=%s path=%s\n" % (STATE.name, path)).encode())
        if path == "/status":
            code = int(query.get("code", "200"))
            headers = [("ETag", '"v1"')] if code == 304 else []
            return self.reply(code, b"status body\n", headers)
        if path == "/echo":
            head = self.requestline + "\r\n" + "".join("%s: %s\r\n" % kv for kv in self.headers.items())
            body = self.read_body()
            return self.reply(200, head.encode("latin-1") + b"\r\n" + body)
        if path == "/upload":
            body = self.read_body()
            ok = body == pattern(0, len(body))
            text = "length=%d sha256=%s pattern=%s\n" % (
                len(body), hashlib.sha256(body).hexdigest(), "ok" if ok else "bad")
            return self.reply(200, text.encode())
        if path == "/large":
            return self.large(int(query.get("bytes", "0")), query.get("chunked") == "1")
        if path == "/broken":
            return self.broken(query.get("kind", "garbage"))
        if path == "/drop-next":
            self.drop_next = True
            return self.reply(200, b"the next request on this connection is dropped\n")
        if path == "/hop":
            headers = [("Connection", "X-Hop-Response"), ("X-Hop-Response", "1"),
                       ("Keep-Alive", "timeout=5"), ("X-End-To-End", "kept")]
            return self.reply(200, b"hop\n", headers)
        if path == "/ws":
            return self.websocket()
        self.read_body()
        return self.reply(200, ("backend=%s path=%s\n" % (STATE.name, path)).encode())

    def control(self, path, query):
        if path == "/__control/set":
            with STATE.lock:
                if "health" in query:
                    STATE.health = int(query["health"])
                if "delay_ms" in query:
                    STATE.delay_ms = int(query["delay_ms"])
            return self.reply(200, b"ok\n")
        with STATE.lock:
            stats = {"name": STATE.name, "requests": STATE.requests, "health_checks": STATE.health_checks,
                     "paths": dict(STATE.paths), "open_connections": STATE.open_connections - 1}
        return self.reply(200, json.dumps(stats).encode(), [("Content-Type", "application/json")])

    def large(self, total, chunked):
        if self.command == "HEAD":
            return self.reply(200, b"", length=total)
        head = ["HTTP/1.1 200 OK", "X-Backend: " + STATE.name]
        head.append("Transfer-Encoding: chunked" if chunked else "Content-Length: %d" % total)
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode())
        offset = 0
        while offset < total:
            size = min(256 * 1024, total - offset)
            data = pattern(offset, size)
            if chunked:
                data = b"%x\r\n" % size + data + b"\r\n"
            self.wfile.write(data)
            offset += size
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def broken(self, kind):
        raw = {
            "conflicting-length": b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
            "bad-status": b"HTTP/1.1 20x OK\r\nContent-Length: 0\r\n\r\n",
            "garbage": b"this is not HTTP at all\r\n\r\n",
            "bad-length": b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
        }[kind]
        self.wfile.write(raw)
        self.close_connection = True

    # WebSocket (RFC 6455), enough for echo tests

    def websocket(self):
        key = self.headers.get("Sec-WebSocket-Key", "")
        if self.headers.get("Upgrade", "").lower() != "websocket" or not key:
            return self.reply(400, b"not a websocket request\n", close=True)
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        head = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Accept: %s\r\nX-Backend: %s\r\n\r\n" % (accept, STATE.name)).encode()
        # The greeting travels in the same write as the 101 head.
        self.wfile.write(head + self.frame(0x1, ("hello from " + STATE.name).encode()))
        self.close_connection = True
        while True:
            header = self.rfile.read(2)
            if len(header) < 2:
                return
            opcode = header[0] & 0x0F
            masked = header[1] & 0x80
            length = header[1] & 0x7F
            if length == 126:
                length = int.from_bytes(self.rfile.read(2), "big")
            elif length == 127:
                length = int.from_bytes(self.rfile.read(8), "big")
            mask = self.rfile.read(4) if masked else b"\0\0\0\0"
            payload = bytearray(self.rfile.read(length))
            for i in range(len(payload)):
                payload[i] ^= mask[i % 4]
            if opcode == 0x8:
                self.wfile.write(self.frame(0x8, bytes(payload[:2])))
                return
            if opcode in (0x1, 0x2):
                self.wfile.write(self.frame(opcode, bytes(payload)))

    @staticmethod
    def frame(opcode, payload):
        length = len(payload)
        if length < 126:
            header = bytes([0x80 | opcode, length])
        elif length < 65536:
            header = bytes([0x80 | opcode, 126]) + length.to_bytes(2, "big")
        else:
            header = bytes([0x80 | opcode, 127]) + length.to_bytes(8, "big")
        return header + payload


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512


def main():
    name = sys.argv[1]
    port = int(sys.argv[2])
    health = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    global STATE
    STATE = State(name, health)
    server = Server(("127.0.0.1", port), Handler)
    sys.stdout.write("%d\n" % server.server_address[1])
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
"""#
}
