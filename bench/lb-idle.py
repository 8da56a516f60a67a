#!/usr/bin/env python3
"""Idle keep-alive connections held by HAProxy and by Wharf's LB, and memory per connection.

    lb-idle.py COUNT RUN_WHARF_SCRIPT

Starts two nginx backends (:9001, :9002), HAProxy 2.6 on :8001 (one thread) and Wharf's LB on
:8003 (via RUN_WHARF_SCRIPT, as bench/lb.sh writes it), opens COUNT connections to each proxy,
sends one request on each (so both have a live, keep-alive client connection in their HTTP
state), then holds them idle and reads each proxy's resident memory (VmRSS) before and after.
Prints connections held and bytes per connection side by side. Everything on 127.0.0.1; all
processes are stopped at the end. Measuring starts only once both backends and both proxies
answer a request; one that exits or does not answer in time fails the run with its log.
"""
import os, resource, signal, socket, subprocess, sys, tempfile, time

# Seconds each backend and proxy gets to answer its first request (Wharf's LB proxies once
# its health checker has seen the backends).
START_TIMEOUT = 30


class StartFailure(Exception):
    pass


def answers(port):
    """True if a GET on 127.0.0.1:port gets a 200 response."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def wait_until_answering(name, port, proc, log):
    """Waits until `name` answers on `port`; fails if its process `proc` (when given) exits first."""
    deadline = time.time() + START_TIMEOUT
    while not answers(port):
        if proc is not None and proc.poll() is not None:
            raise StartFailure(f"{name} exited with status {proc.returncode} before answering on :{port}", log)
        if time.time() > deadline:
            raise StartFailure(f"{name} did not answer on :{port} within {START_TIMEOUT}s", log)
        time.sleep(0.2)


def log_tail(path, lines=20):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

def open_idle(port, count):
    conns, failed = [], 0
    request = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
    for i in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(request)
            conns.append(s)
        except OSError:
            failed += 1
        if len(conns) % 500 == 0:
            drain(conns[-500:])
    drain(conns[-(len(conns) % 500 or 500):])
    return conns, failed

def drain(conns):
    for s in conns:
        try:
            s.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass

def main():
    count, run_wharf = int(sys.argv[1]), sys.argv[2]
    # Both proxies need about two descriptors per proxied connection: as root, raise the hard
    # limit too (children inherit it), else use what there is.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max(hard, count * 3 + 1000)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, wanted))
        hard = wanted
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # HAProxy refuses to start unless its descriptor limit covers two per connection; when
    # the hard limit is lower, both proxies are measured at the count that fits.
    fitting = (hard - 400) // 2
    if count > fitting:
        print(f"note: descriptor limit {hard} allows {fitting} proxied connections; measuring {fitting} per proxy")
        count = fitting
    work = tempfile.mkdtemp(prefix="lbidle.")
    procs = []
    status = 0
    try:
        with open(f"{work}/backend.conf", "w") as f:
            f.write(f"""worker_processes 1; daemon on; pid {work}/backend.pid; error_log {work}/backend.err;
events {{ worker_connections 4096; }}
http {{ access_log off; keepalive_requests 1000000;
  server {{ listen 127.0.0.1:9001 backlog=4096; location / {{ return 200 "hello from backend 9001\\n"; }} }}
  server {{ listen 127.0.0.1:9002 backlog=4096; location / {{ return 200 "hello from backend 9002\\n"; }} }} }}
""")
        with open(f"{work}/haproxy.cfg", "w") as f:
            f.write(f"""global
  nbthread 1
  maxconn {count + 100}
  ulimit-n {hard}
  pidfile {work}/haproxy.pid
defaults
  mode http
  timeout connect 2s
  timeout client 300s
  timeout server 30s
  timeout http-keep-alive 300s
  option http-keep-alive
frontend fe
  bind 127.0.0.1:8001
  default_backend be
backend be
  balance roundrobin
  http-reuse always
  server s1 127.0.0.1:9001
  server s2 127.0.0.1:9002
""")
        subprocess.run(["nginx", "-c", f"{work}/backend.conf", "-p", work], check=True)
        for port in (9001, 9002):
            wait_until_answering("the nginx backend", port, None, f"{work}/backend.err")
        with open(f"{work}/haproxy.log", "w") as log:
            haproxy = subprocess.Popen(["haproxy", "-f", f"{work}/haproxy.cfg"], stdout=log, stderr=subprocess.STDOUT)
        procs.append(haproxy)
        # RUN_WHARF_SCRIPT execs wharf, so this process is the LB itself.
        with open(f"{work}/wharf.log", "w") as log:
            wharf = subprocess.Popen([run_wharf], stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, LB_TLS="0"))
        procs.append(wharf)
        wait_until_answering("haproxy", 8001, haproxy, f"{work}/haproxy.log")
        wait_until_answering("wharf", 8003, wharf, f"{work}/wharf.log")
        rows = []
        for name, port, pid in (("haproxy", 8001, haproxy.pid), ("wharf", 8003, wharf.pid)):
            before = rss_kib(pid)
            conns, failed = open_idle(port, count)
            time.sleep(2)
            after = rss_kib(pid)
            held = sum(1 for s in conns if s.fileno() >= 0)
            per = (after - before) * 1024 / max(held, 1)
            rows.append((name, held, failed, before, after, per))
            for s in conns:
                s.close()
            time.sleep(1)
        print(f"idle keep-alive connections: {count} requested per proxy")
        for name, held, failed, before, after, per in rows:
            print(f"{name:8s} held={held} failed={failed} rss_before={before}KiB rss_after={after}KiB bytes_per_connection={per:.0f}")
        if rows[0][5] > 0:
            print(f"wharf/haproxy memory per connection ratio: {rows[1][5] / rows[0][5]:.2f}")
    except StartFailure as failure:
        message, log = failure.args
        print(f"lb-idle: {message}; the end of {os.path.basename(log)}:\n{log_tail(log)}", file=sys.stderr)
        status = 1
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        try:
            with open(f"{work}/backend.pid") as f:
                os.kill(int(f.read().strip()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
        subprocess.run(["rm", "-rf", work])
    return status

if __name__ == "__main__":
    sys.exit(main())
