/// A strict, zero-copy, resumable parser of response heads coming from targets (RFC 9112).
///
/// Same calling contract as `HTTPRequestParser`. Any `.failed` means the response must not be
/// forwarded: the proxy answers 502 and closes the target connection.
public struct HTTPResponseParser: Sendable {
    private enum State: UInt8, Sendable {
        case idle
        case statusLine
        /// After the CR ending the status line.
        case statusLineFeed
        case fields
        case complete
        case failed
    }

    /// Shortest status line: `HTTP/1.1 200`.
    private static let minimumStatusLineLength = 12

    /// The bounds this parser enforces; `maxRequestLineLength` bounds the status line.
    public let limits: HTTPLimits
    private var state: State = .idle
    private var position = 0
    private var failure: HTTPParseError = .invalidStatusLine
    private var fieldSection = HTTPFieldSectionScanner()

    /// Creates a parser enforcing `limits`.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Prepares for the next response (including the final response after a 1xx).
    public mutating func reset() {
        state = .idle
        position = 0
        fieldSection.reset()
    }

    /// Parses the response head at the start of `bytes` into `head`. `requestMethod` and
    /// `requestWasUpgrade` describe the request this answers; they decide the body framing.
    public mutating func parse(
        _ bytes: UnsafeRawBufferPointer, into head: inout HTTPResponseHead,
        requestMethod: HTTPMethod, requestWasUpgrade: Bool
    ) -> HTTPParseStatus {
        switch state {
        case .complete: return .complete
        case .failed: return .failed(failure)
        case .idle:
            head.reset()
            state = .statusLine
        default: break
        }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .incomplete }
        let end = min(bytes.count, limits.maxHeadLength)
        let status = scan(base, end: end, head: &head, requestMethod: requestMethod, requestWasUpgrade: requestWasUpgrade)
        if case .incomplete = status, end == limits.maxHeadLength {
            return fail(.headTooLarge)
        }
        return status
    }

    @inline(__always)
    private mutating func fail(_ error: HTTPParseError) -> HTTPParseStatus {
        state = .failed
        failure = error
        return .failed(error)
    }

    private mutating func scan(
        _ base: UnsafePointer<UInt8>, end: Int, head: inout HTTPResponseHead,
        requestMethod: HTTPMethod, requestWasUpgrade: Bool
    ) -> HTTPParseStatus {
        var index = position
        defer { position = index }
        while index < end {
            switch state {
            case .statusLine:
                let lineLimit = limits.maxRequestLineLength + 1
                let stop = min(end, lineLimit)
                index = HTTPFieldSectionScanner.skipValueCharacters(base, from: index, to: stop)
                guard index < stop else { return index == lineLimit ? fail(.requestLineTooLong) : .incomplete }
                let byte = base[index]
                if byte == ASCII.lineFeed { return fail(.bareLineFeed) }
                guard byte == ASCII.carriageReturn else { return fail(.invalidStatusLine) }
                if let error = Self.parseStatusLine(base, length: index, head: &head) { return fail(error) }
                index += 1
                state = .statusLineFeed

            case .statusLineFeed:
                guard base[index] == ASCII.lineFeed else { return fail(.bareCarriageReturn) }
                index += 1
                state = .fields

            case .fields:
                switch fieldSection.scan(
                    base, position: &index, end: end, fields: &head.fields,
                    limits: limits, sender: .server)
                {
                case .needMore:
                    return .incomplete
                case .failed(let error):
                    return fail(error)
                case .complete(let headLength):
                    return finish(
                        base, headLength: headLength, head: &head, requestMethod: requestMethod,
                        requestWasUpgrade: requestWasUpgrade)
                }

            case .idle, .complete, .failed:
                return .incomplete  // unreachable: handled before scanning
            }
        }
        return .incomplete
    }

    /// `status-line = HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4). A line
    /// that ends right after the code (no SP) is accepted: some servers send it.
    private static func parseStatusLine(_ base: UnsafePointer<UInt8>, length: Int, head: inout HTTPResponseHead)
        -> HTTPParseError?
    {
        guard length >= minimumStatusLineLength else { return .invalidStatusLine }
        switch HTTPVersion.parse(base, count: 8) {
        case .version(let version): head.version = version
        case .unsupported: return .unsupportedVersion
        case .malformed: return .invalidStatusLine
        }
        guard base[8] == ASCII.space, ASCII.isDigit(base[9]), ASCII.isDigit(base[10]), ASCII.isDigit(base[11]) else {
            return .invalidStatusLine
        }
        let status = Int(base[9] &- ASCII.zero) * 100 + Int(base[10] &- ASCII.zero) * 10 + Int(base[11] &- ASCII.zero)
        guard (100...599).contains(status) else { return .invalidStatusCode }
        if length > minimumStatusLineLength {
            guard base[minimumStatusLineLength] == ASCII.space else { return .invalidStatusLine }
            head.reasonRange = (minimumStatusLineLength + 1)..<length
        } else {
            head.reasonRange = length..<length
        }
        head.status = status
        head.statusLineRange = 0..<length
        return nil
    }

    /// Decides the framing (RFC 9112 §6.3) and fills in the derived facts.
    private mutating func finish(
        _ base: UnsafePointer<UInt8>, headLength: Int, head: inout HTTPResponseHead,
        requestMethod: HTTPMethod, requestWasUpgrade: Bool
    ) -> HTTPParseStatus {
        let facts = fieldSection.facts
        // Broken framing is refused even where the framing is then ignored (HEAD, 204, 304):
        // a target that sends it cannot be trusted to delimit anything.
        if let error = facts.framingError(version: head.version) { return fail(error) }
        let status = head.status
        head.isInformational = status < 200
        if status == 101 {
            guard requestWasUpgrade else { return fail(.unexpectedSwitchingProtocols) }
            head.isSwitchingProtocols = true
        }
        head.establishesTunnel = requestMethod == .connect && (200...299).contains(status)
        if requestMethod == .head || head.isInformational || status == 204 || status == 304 || head.establishesTunnel {
            head.framing = .none
        } else if facts.hasTransferEncoding {
            head.framing = .chunked
        } else if let length = facts.contentLength {
            head.framing = .contentLength(length)
        } else {
            head.framing = .untilClose
        }
        head.keepAlive = facts.keepAlive(version: head.version) && head.framing != .untilClose
        facts.markConnectionListedFields(&head.fields, in: base)
        head.headLength = headLength
        state = .complete
        return .complete
    }
}
