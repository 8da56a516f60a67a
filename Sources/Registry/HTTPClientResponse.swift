import HTTPCore
import WharfIO

/// One HTTP/1.1 request on its own connection (`Connection: close`) and its response: the
/// head parsed by HTTPCore's strict `HTTPResponseParser`, the body read incrementally by
/// its framing (Content-Length, chunked through `ChunkedScanner`, or until close).
final class HTTPClientResponse {
    /// Limits on what is read whole into memory.
    enum Limits {
        /// Manifests, indexes, configs, token and error documents.
        static let maxDocumentBytes = 8 * 1024 * 1024
        /// A response head.
        static let maxHeadBytes = 64 * 1024
    }

    let status: Int
    /// Header fields in order, names lowercased.
    let headers: [(name: String, value: String)]
    private let connection: RegistryConnection
    private let step: PullStep
    private let framing: HTTPResponseFraming
    /// Bytes read past the head, not yet handed out.
    private var pending: [UInt8]
    private var pendingOffset = 0
    private var remaining: Int64
    private var chunked = ChunkedScanner()
    private var finished = false
    /// Body bytes handed out so far.
    private(set) var delivered: Int64 = 0

    /// Sends `method target` with `headers` on a new connection and reads the response head.
    init(method: String, url: RegistryURL, headers requestHeaders: [(String, String)], tls: TLSClientContext,
         timeouts: PullTimeouts, step: PullStep) throws(RegistryError) {
        self.step = step
        connection = try RegistryConnection(host: url.host, port: url.port, tls: url.secure ? tls : nil, timeouts: timeouts, step: step)
        var text = "\(method) \(url.target) HTTP/1.1\r\nHost: \(url.authority)\r\nUser-Agent: wharf\r\nConnection: close\r\n"
        for (name, value) in requestHeaders { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        try connection.write(Array(text.utf8))

        var buffer: [UInt8] = []
        var parser = HTTPResponseParser()
        var head = HTTPResponseHead()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
        defer { chunk.deallocate() }
        // After a 1xx head the next head may already be buffered: parse it before reading
        // again (a read would wait for bytes the registry has already sent).
        var needsRead = true
        while true {
            if needsRead {
                let n = try connection.read(into: chunk)
                guard n > 0 else { throw step.protocolViolation("connection closed before a complete response head") }
                buffer.append(contentsOf: chunk[0..<n])
            }
            let status = buffer.withUnsafeBytes { raw in
                parser.parse(raw, into: &head, requestMethod: method == "HEAD" ? .head : .get, requestWasUpgrade: false)
            }
            switch status {
            case .incomplete:
                guard buffer.count < Limits.maxHeadBytes else { throw step.protocolViolation("response head too large") }
                needsRead = true
                continue
            case let .failed(error):
                throw step.protocolViolation("malformed response head: \(error)")
            case .complete:
                break
            }
            if head.isInformational {
                buffer.removeFirst(head.headLength)
                parser.reset()
                needsRead = buffer.isEmpty
                continue
            }
            break
        }
        status = head.status
        headers = buffer.withUnsafeBytes { raw in
            head.fields.map { field in
                (String(decoding: head.bytes(of: field.nameRange, in: raw), as: UTF8.self).lowercased(),
                 String(decoding: head.bytes(of: field.valueRange, in: raw), as: UTF8.self))
            }
        }
        framing = head.framing
        pending = Array(buffer[head.headLength...])
        switch framing {
        case let .contentLength(length): remaining = Int64(length)
        case .none: remaining = 0; finished = true
        default: remaining = -1
        }
    }

    /// The first value of header `name` (lowercase).
    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    /// All values of header `name` (lowercase).
    func headerValues(_ name: String) -> [String] { headers.filter { $0.name == name }.map(\.value) }

    /// The declared body length, when there is one.
    var contentLength: Int64? {
        if case let .contentLength(length) = framing { return Int64(length) }
        return nil
    }

    /// Reads the next body bytes; 0 at the end of the body. A body that ends early is
    /// `.truncated` (transient: the caller may resume it).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(RegistryError) -> Int {
        if finished || buffer.count == 0 { return 0 }
        switch framing {
        case .contentLength:
            let want = Int(min(Int64(buffer.count), remaining))
            var n = takePending(into: buffer, max: want)
            if n == 0 {
                n = try connection.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
                if n == 0 {
                    throw .truncated(image: step.image, registry: step.registry, step: step.step,
                                     expected: delivered + remaining, received: delivered)
                }
            }
            remaining -= Int64(n)
            delivered += Int64(n)
            if remaining == 0 { finished = true }
            return n
        case .untilClose:
            var n = takePending(into: buffer, max: buffer.count)
            if n == 0 { n = try connection.read(into: buffer) }
            if n == 0 { finished = true }
            delivered += Int64(n)
            return n
        case .chunked:
            return try readChunked(into: buffer)
        case .none:
            return 0
        }
    }

    /// Reads the whole body (bounded by `Limits.maxDocumentBytes`).
    func readAll() throws(RegistryError) -> [UInt8] {
        var result: [UInt8] = []
        if let length = contentLength {
            guard length <= Int64(Limits.maxDocumentBytes) else {
                throw step.protocolViolation("document of \(length) bytes exceeds the \(Limits.maxDocumentBytes)-byte limit")
            }
            result.reserveCapacity(Int(length))
        }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try read(into: chunk)
            if n == 0 { return result }
            result.append(contentsOf: chunk[0..<n])
            guard result.count <= Limits.maxDocumentBytes else {
                throw step.protocolViolation("document exceeds the \(Limits.maxDocumentBytes)-byte limit")
            }
        }
    }

    private func takePending(into buffer: UnsafeMutableRawBufferPointer, max: Int) -> Int {
        let available = pending.count - pendingOffset
        guard available > 0 else { return 0 }
        let n = min(available, max)
        pending.withUnsafeBytes { raw in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[pendingOffset..<(pendingOffset + n)]))
        }
        pendingOffset += n
        if pendingOffset == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingOffset = 0
        }
        return n
    }

    /// Chunked bodies (token and error documents in practice) are decoded a network read
    /// at a time into `decoded`, then handed out.
    private var decoded: [UInt8] = []
    private var decodedOffset = 0

    private func readChunked(into buffer: UnsafeMutableRawBufferPointer) throws(RegistryError) -> Int {
        while decodedOffset == decoded.count {
            decoded.removeAll(keepingCapacity: true)
            decodedOffset = 0
            if chunked.isFinished {
                finished = true
                return 0
            }
            var raw = Array(pending[pendingOffset...])
            pending.removeAll(keepingCapacity: true)
            pendingOffset = 0
            if raw.isEmpty {
                let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
                defer { chunk.deallocate() }
                let n = try connection.read(into: chunk)
                guard n > 0 else {
                    throw .truncated(image: step.image, registry: step.registry, step: step.step, expected: -1, received: delivered)
                }
                raw = Array(chunk[0..<n])
            }
            var output: [UInt8] = []
            let result = raw.withUnsafeBytes { bytes in
                chunked.scan(bytes) { data in output.append(contentsOf: data) }
            }
            switch result {
            case let .failed(error):
                throw step.protocolViolation("malformed chunked body: \(error)")
            case .consumed:
                decoded = output
            }
        }
        let n = min(buffer.count, decoded.count - decodedOffset)
        decoded.withUnsafeBytes { raw in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[decodedOffset..<(decodedOffset + n)]))
        }
        decodedOffset += n
        delivered += Int64(n)
        return n
    }
}
