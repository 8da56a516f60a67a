import Foundation
import Glibc
import WharfIO

/// Why a test request failed.
enum HTTPTestClientError: Error, CustomStringConvertible {
    case connect(port: Int, errno: Int32)
    case io(String, errno: Int32)
    case malformed(String)

    var description: String {
        switch self {
        case .connect(let port, let code): return "connect 127.0.0.1:\(port): \(String(cString: strerror(code)))"
        case .io(let call, let code): return "\(call): \(String(cString: strerror(code)))"
        case .malformed(let what): return "malformed response: \(what)"
        }
    }
}

/// A response as the test client read it.
struct TestHTTPResponse {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking one-request HTTP/1.1 client to 127.0.0.1 (`Connection: close`, read to EOF), with
/// its own small response reader so the engine's parser is not checking itself.
enum HTTPTestClient {
    /// Seconds a request may take before the test fails.
    static let timeoutSeconds = 10

    static func request(port: Int, method: String = "GET", path: String, body: String = "") throws -> TestHTTPResponse {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HTTPTestClientError.io("socket", errno: errno) }
        defer { close(fd) }
        var time = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        let address = try SocketAddress(ip: "127.0.0.1", port: UInt16(port))
        guard address.withSockAddr({ Glibc.connect(fd, $0, $1) }) == 0 else {
            throw HTTPTestClientError.connect(port: port, errno: errno)
        }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.utf8.count)\r\n" }
        let bytes = Array((head + "\r\n" + body).utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw HTTPTestClientError.io("send", errno: errno) }
            sent += count
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw HTTPTestClientError.io("recv", errno: errno) }
            received += chunk[0..<count]
        }
        return try parse(received, isHEAD: method == "HEAD")
    }

    private static func parse(_ bytes: [UInt8], isHEAD: Bool) throws -> TestHTTPResponse {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = (0...(max(0, bytes.count - 4))).first(where: { Array(bytes[$0..<min($0 + 4, bytes.count)]) == separator }) else {
            throw HTTPTestClientError.malformed("no end of head in \(bytes.count) bytes")
        }
        let lines = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0] == "HTTP/1.1", let status = Int(statusParts[1]) else {
            throw HTTPTestClientError.malformed("status line \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw HTTPTestClientError.malformed("field \(line)") }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(end + 4)...])
        if let length = headers["content-length"].flatMap(Int.init), !isHEAD {
            guard body.count >= length else { throw HTTPTestClientError.malformed("body \(body.count) of \(length) bytes") }
            body = Array(body[0..<length])
        }
        return TestHTTPResponse(status: status, headers: headers, body: body)
    }
}
