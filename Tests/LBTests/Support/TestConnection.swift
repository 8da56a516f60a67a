import Foundation
import Glibc
import WharfIO

/// Why a test client's read or write failed.
enum TestClientError: Error, CustomStringConvertible {
    /// `connect(2)` failed (e.g. ECONNREFUSED once the load balancer stopped listening).
    case connect(port: Int, errno: Int32)
    /// No byte arrived within the connection's timeout.
    case timeout(String)
    /// The peer closed the connection (EOF) before the expected bytes arrived.
    case closed(String)
    /// `recv`/`send` failed (ECONNRESET, EPIPE, ...).
    case failed(String, errno: Int32)
    /// The bytes were not an HTTP/1.1 response.
    case malformed(String)

    var description: String {
        switch self {
        case .connect(let port, let code): return "connect 127.0.0.1:\(port): \(String(cString: strerror(code)))"
        case .timeout(let what): return "timed out reading \(what)"
        case .closed(let what): return "connection closed while reading \(what)"
        case .failed(let call, let code): return "\(call): \(String(cString: strerror(code)))"
        case .malformed(let what): return "malformed response: \(what)"
        }
    }
}

/// A blocking TCP client connection to 127.0.0.1 with its own small HTTP/1.1 response reader,
/// independent of the engine's parser, so tests send exact bytes and check exactly what comes
/// back. Reads time out after `timeout` seconds (`SO_RCVTIMEO`).
final class TestConnection {
    let fd: Int32
    let port: Int
    /// Bytes received and not yet consumed, from `start`.
    private var buffer: [UInt8] = []
    private var start = 0
    private var closed = false

    init(port: Int, timeout: Double = 10) throws {
        self.port = port
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestClientError.failed("socket", errno: errno) }
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let address = try SocketAddress(ip: "127.0.0.1", port: UInt16(port))
        let result = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if result != 0 {
            let code = errno
            Glibc.close(fd)
            throw TestClientError.connect(port: port, errno: code)
        }
        self.fd = fd
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    /// Closes the sending side only (`shutdown(SHUT_WR)`): the peer reads EOF.
    func shutdownWrite() {
        Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    // MARK: Sending

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TestClientError.failed("send", errno: errno)
            }
            offset += count
        }
    }

    // MARK: Receiving

    /// Bytes buffered and not consumed yet.
    var buffered: Int { buffer.count - start }

    /// Reads more bytes into the buffer; false at EOF.
    private func fill(_ what: String) throws -> Bool {
        if start > 1 << 20 && start > buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count == 0 { return false }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { throw TestClientError.timeout(what) }
            throw TestClientError.failed("recv (\(what))", errno: code)
        }
    }

    /// One line without its CRLF.
    func readLine(_ what: String = "a line") throws -> String {
        // Bytes after `start` already searched (`fill` may move `start`).
        var searched = 0
        while true {
            if let lf = buffer[(start + searched)...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = lf
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = lf + 1
                return line
            }
            searched = buffer.count - start
            guard try fill(what) else { throw TestClientError.closed(what) }
        }
    }

    /// Exactly `count` bytes.
    func read(count: Int, _ what: String = "a body") throws -> [UInt8] {
        while buffered < count {
            guard try fill(what) else { throw TestClientError.closed("\(what) (\(buffered) of \(count) bytes)") }
        }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        return bytes
    }

    /// Everything until the peer closes.
    func readUntilClose(_ what: String = "until close") throws -> [UInt8] {
        while try fill(what) {}
        let bytes = Array(buffer[start...])
        start = buffer.count
        return bytes
    }

    /// Whether the peer closes (EOF or reset) within `timeout` seconds, discarding anything
    /// that arrives before. False when the connection is still open after `timeout`.
    func waitForClose(timeout: Double) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return false }
            let ready = poll(&descriptor, 1, Int32(remaining * 1000) + 1)
            if ready <= 0 { continue }
            let count = chunk.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count == 0 { return true }
            if count < 0 && errno != EAGAIN && errno != EINTR { return true }
        }
    }

    /// Whether anything (bytes or EOF) arrives within `timeout` seconds.
    func hasInput(within timeout: Double) -> Bool {
        if buffered > 0 { return true }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, Int32(timeout * 1000)) == 1
    }

    // MARK: HTTP

    /// A response head (status line and fields), nothing after it.
    func readHead() throws -> TestResponse {
        let statusLine = try readLine("a status line")
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw TestClientError.malformed("status line \"\(statusLine)\"")
        }
        var response = TestResponse(version: String(parts[0]), status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: [])
        while true {
            let line = try readLine("a header field")
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw TestClientError.malformed("field line \"\(line)\"") }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            response.headers.append((name, value))
        }
        return response
    }

    /// A whole response: informational (1xx) heads are skipped unless `keepInformational`;
    /// the body follows RFC 9112 section 6.3 (none for HEAD, 1xx, 204, 304; chunked;
    /// Content-Length; else until close).
    func readResponse(method: String = "GET", keepInformational: Bool = false) throws -> TestResponse {
        var response = try readHead()
        while response.status >= 100 && response.status < 200 && response.status != 101 && !keepInformational {
            response = try readHead()
        }
        if method == "HEAD" || response.status < 200 || response.status == 204 || response.status == 304 {
            return response
        }
        if let coding = response.header("Transfer-Encoding"), coding.lowercased().contains("chunked") {
            response.wasChunked = true
            response.body = try readChunkedBody()
        } else if let length = response.header("Content-Length") {
            guard let count = Int(length) else { throw TestClientError.malformed("Content-Length \(length)") }
            response.body = try read(count: count)
        } else {
            response.body = try readUntilClose("a body delimited by close")
        }
        return response
    }

    private func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine("a chunk size")
            let sizeText = line.split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw TestClientError.malformed("chunk size \"\(line)\"")
            }
            if size == 0 {
                while try !readLine("a trailer").isEmpty {}
                return body
            }
            body.append(contentsOf: try read(count: size, "chunk data"))
            guard try readLine("a chunk terminator").isEmpty else { throw TestClientError.malformed("chunk not followed by CRLF") }
        }
    }

    /// Sends a GET (keep-alive) and reads the response.
    func get(_ path: String, headers: [String] = []) throws -> TestResponse {
        try send(TestRequest.get(path, headers: headers))
        return try readResponse()
    }
}

/// Request bytes for the tests.
enum TestRequest {
    /// `GET path HTTP/1.1` with `Host: test` and `headers` (each a whole field line).
    static func get(_ path: String, headers: [String] = [], method: String = "GET") -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: test\r\n"
        for header in headers { text += header + "\r\n" }
        return text + "\r\n"
    }

    /// One request on a new connection (`Connection: close`), the response read.
    static func fetch(port: Int, _ path: String, headers: [String] = [], method: String = "GET", timeout: Double = 10) throws -> TestResponse {
        let connection = try TestConnection(port: port, timeout: timeout)
        defer { connection.close() }
        try connection.send(get(path, headers: headers + ["Connection: close"], method: method))
        return try connection.readResponse(method: method)
    }
}
