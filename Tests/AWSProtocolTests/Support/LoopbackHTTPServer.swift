import Foundation
import Glibc
import Synchronization
@testable import AWSProtocol

/// A throwaway HTTP/1.1 server on 127.0.0.1 for tests: one thread accepts connections,
/// reads one request each (`Content-Length` framing), hands it to an async handler and
/// answers with `Connection: close`. Just enough for the AWS CLI to talk to the router.
final class LoopbackHTTPServer: Sendable {
    typealias Handler = @Sendable (AWSRequest) async -> AWSResponse

    struct SocketError: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
    }

    /// Longest accepted request head; the AWS CLI's are well under 2 KiB.
    static let maximumHeadBytes = 64 * 1024

    let port: UInt16
    private let listener: Int32
    private let finished = DispatchSemaphore(value: 0)

    init(handler: @escaping Handler) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let code = errno
            close(fd)
            throw SocketError(call: "bind/listen", code: code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let done = finished
        Thread.detachNewThread {
            Self.acceptLoop(listener: fd, handler: handler)
            done.signal()
        }
    }

    /// Stops accepting, waits for the accept thread to end and closes the socket.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        finished.wait()
        close(listener)
    }

    private static func acceptLoop(listener: Int32, handler: @escaping Handler) {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return  // shut down
            }
            serve(connection, handler: handler)
            close(connection)
        }
    }

    private static func serve(_ fd: Int32, handler: @escaping Handler) {
        guard let request = readRequest(fd) else { return }
        let result = Mutex<AWSResponse?>(nil)
        let ready = DispatchSemaphore(value: 0)
        Task {
            let response = await handler(request)
            result.withLock { $0 = response }
            ready.signal()
        }
        ready.wait()
        guard let response = result.withLock({ $0 }) else { return }
        var head = "HTTP/1.1 \(response.status) \(reason(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        writeAll(fd, Array(head.utf8) + response.body)
    }

    private static func readRequest(_ fd: Int32) -> AWSRequest? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
            headEnd = find(separator, in: buffer)
            if headEnd == nil, buffer.count > maximumHeadBytes { return nil }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: buffer[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        let target = String(requestLine[1])
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var headers: [(name: String, value: String)] = []
        var contentLength = 0
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((name: name, value: value))
            if name.lowercased() == "content-length" { contentLength = Int(value) ?? 0 }
        }
        var body = Array(buffer[(headEnd + 4)...])
        while body.count < contentLength {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            body.append(contentsOf: chunk[0..<count])
        }
        return AWSRequest(
            method: String(requestLine[0]), path: String(path[0]), query: path.count > 1 ? String(path[1]) : "",
            headers: headers, body: Array(body.prefix(contentLength)))
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + written }, bytes.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            written += count
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 413: return "Payload Too Large"
        case 500: return "Internal Server Error"
        default: return "Status"
        }
    }
}
