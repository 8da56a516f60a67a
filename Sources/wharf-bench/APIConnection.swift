import AWSProtocol
import Foundation
import Glibc
import HTTPCore

/// Why an API call of the benchmark failed, naming the step (and the system call).
enum APIConnectionError: Error, CustomStringConvertible {
    case system(step: String, call: String, errno: Int32)
    case signing(String)
    case closed(step: String)
    case malformedResponse(String)

    var description: String {
        switch self {
        case .system(let step, let call, let code): "\(step): \(call) failed: \(String(cString: strerror(code)))"
        case .signing(let message): "signing the request: \(message)"
        case .closed(let step): "\(step): the server closed the connection"
        case .malformedResponse(let message): "malformed response: \(message)"
        }
    }
}

/// One keep-alive HTTP/1.1 connection to a Wharf endpoint on loopback that sends AWS JSON 1.1
/// requests signed with SigV4 (the way the AWS CLI does) and reads `Content-Length` responses
/// (heads parsed by HTTPCore's `HTTPResponseParser`).
/// Blocking; one thread uses one connection.
final class APIConnection {
    /// How long a send or receive may block before the call fails, in seconds.
    static let socketTimeoutSeconds = 30
    /// Bytes read from the socket at once.
    static let readChunkSize = 64 * 1024

    private let host: String
    private let port: Int
    private let signer: SigV4Signer
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: APIConnection.readChunkSize)
    private var parser = HTTPResponseParser()
    private var head = HTTPResponseHead()

    init(host: String, port: Int, credential: AWSCredential, region: String) {
        self.host = host
        self.port = port
        signer = SigV4Signer(credential: credential, region: region, service: "ecs")
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Calls the ECS operation `operation` with the JSON `body`; returns the status and body.
    /// Reconnects once if the kept-alive connection had been closed by the server.
    func call(_ operation: String, _ body: String) throws -> (status: Int, body: [UInt8]) {
        let request = try signedRequest(operation, Array(body.utf8))
        do {
            return try exchange(request)
        } catch APIConnectionError.closed {
            disconnect()
            return try exchange(request)
        }
    }

    /// ``call(_:_:)`` whose answer must be 200 and a JSON object.
    func callJSON(_ operation: String, _ body: String) throws -> [String: Any] {
        let (status, bytes) = try call(operation, body)
        let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        guard status == 200, let object else {
            throw APIConnectionError.malformedResponse("\(operation) answered \(status): \(String(decoding: bytes.prefix(500), as: UTF8.self))")
        }
        return object
    }

    private func signedRequest(_ operation: String, _ body: [UInt8]) throws -> [UInt8] {
        var request = AWSRequest(method: "POST", path: "/", headers: [
            (name: "Host", value: "\(host):\(port)"),
            (name: "Content-Type", value: "application/x-amz-json-1.1"),
            (name: "X-Amz-Target", value: AWSService.ecs.targetPrefix + "." + operation),
            (name: "Content-Length", value: String(body.count)),
        ], body: body)
        do {
            try signer.sign(&request, date: Date())
        } catch {
            throw APIConnectionError.signing("\(error)")
        }
        var head = "POST / HTTP/1.1\r\n"
        for (name, value) in request.headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }

    private func exchange(_ request: [UInt8]) throws -> (status: Int, body: [UInt8]) {
        if fd < 0 { try connectLoopback() }
        try sendAll(request)
        return try readResponse()
    }

    private func connectLoopback() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketFD >= 0 else { throw APIConnectionError.system(step: "opening a connection", call: "socket", errno: errno) }
        var time = timeval(tv_sec: Self.socketTimeoutSeconds, tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socketFD, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(socketFD, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(socketFD)
            throw APIConnectionError.malformedResponse("endpoint host \(host) is not an IPv4 address")
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(socketFD)
            throw APIConnectionError.system(step: "connecting to \(host):\(port)", call: "connect", errno: code)
        }
        fd = socketFD
        buffer.removeAll(keepingCapacity: true)
    }

    private func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
        buffer.removeAll(keepingCapacity: true)
    }

    private func sendAll(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return send(fd, base + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET { throw APIConnectionError.closed(step: "sending") }
                throw APIConnectionError.system(step: "sending a request", call: "send", errno: errno)
            }
            sent += n
        }
    }

    /// Reads more bytes into `buffer`; throws `closed` at end of stream.
    private func fill() throws {
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                return
            }
            if n == 0 || errno == ECONNRESET { throw APIConnectionError.closed(step: "receiving") }
            if errno == EINTR { continue }
            throw APIConnectionError.system(step: "receiving a response", call: "recv", errno: errno)
        }
    }

    private func readResponse() throws -> (status: Int, body: [UInt8]) {
        parser.reset()
        readingHead: while true {
            let parsed = buffer.withUnsafeBytes { raw in
                parser.parse(raw, into: &head, requestMethod: .post, requestWasUpgrade: false)
            }
            switch parsed {
            case .incomplete:
                try fill()
            case .failed(let error):
                throw APIConnectionError.malformedResponse("response head: \(error)")
            case .complete where head.isInformational:
                // A 1xx precedes the answer: drop it and parse the next head.
                buffer.removeFirst(head.headLength)
                parser.reset()
            case .complete:
                break readingHead
            }
        }
        guard case .contentLength(let contentLength) = head.framing else {
            throw APIConnectionError.malformedResponse("no Content-Length (status \(head.status), framing \(head.framing))")
        }
        let bodyStart = head.headLength
        while buffer.count < bodyStart + contentLength { try fill() }
        let body = Array(buffer[bodyStart..<(bodyStart + contentLength)])
        buffer.removeFirst(bodyStart + contentLength)
        if !head.keepAlive { disconnect() }
        return (head.status, body)
    }
}
