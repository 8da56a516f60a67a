/// A strict, zero-copy, resumable parser of response heads coming from targets (RFC 9112).
///
/// Same calling contract as `HTTPRequestParser`. Any `.failed` means the response must not be
/// forwarded: the proxy answers 502 and closes the target connection.
public struct HTTPResponseParser: Sendable {
    /// The bounds this parser enforces; `maxRequestLineLength` bounds the status line.
    public var limits: HTTPLimits { driver.limits }
    private var driver: HTTPHeadParser<HTTPStatusLineGrammar>

    /// Creates a parser enforcing `limits`.
    public init(limits: HTTPLimits = HTTPLimits()) {
        driver = HTTPHeadParser(limits: limits)
    }

    /// Parses the response head at the start of `bytes` into `head`. `requestMethod` and
    /// `requestWasUpgrade` describe the request this answers; they decide the body framing.
    public mutating func parse(
        _ bytes: UnsafeRawBufferPointer, into head: inout HTTPResponseHead,
        requestMethod: HTTPMethod, requestWasUpgrade: Bool
    ) -> HTTPParseStatus {
        driver.parse(
            bytes, into: &head,
            context: HTTPStatusLineGrammar.Request(method: requestMethod, wasUpgrade: requestWasUpgrade))
    }

    /// Prepares for the next response (including the final response after a 1xx).
    public mutating func reset() {
        driver.reset()
    }
}

/// The response side of `HTTPHeadParser`: the status line (RFC 9112 §4) and the framing of a
/// response (RFC 9112 §6.3), which depends on the request it answers.
struct HTTPStatusLineGrammar: HTTPStartLineGrammar {
    typealias Head = HTTPResponseHead

    /// The request a response answers: it decides the response's framing.
    struct Request {
        var method: HTTPMethod
        /// The request asked to upgrade the connection (only then is a 101 acceptable).
        var wasUpgrade: Bool
    }
    typealias Context = Request

    /// Where the status-line scan stopped.
    private enum State: UInt8, Sendable {
        case statusLine
        /// After the CR ending the status line.
        case statusLineFeed
    }

    /// Shortest status line: `HTTP/1.1 200`.
    private static let minimumStatusLineLength = 12

    static var sender: HTTPFieldFacts.Sender { .server }

    private var state: State = .statusLine

    init() {}

    @inline(__always)
    mutating func reset() {
        state = .statusLine
    }

    /// Two steps, each resumable: the line up to its CR (checked whole, once), then its LF.
    mutating func scan(
        _ base: UnsafePointer<UInt8>, index: inout Int, end: Int, limits: HTTPLimits, head: inout HTTPResponseHead
    ) -> HTTPStartLineOutcome {
        guard index < end else { return .incomplete }
        if state == .statusLine {
            let lineLimit = limits.maxRequestLineLength + 1
            let stop = min(end, lineLimit)
            index = HTTPFieldSectionScanner.skipValueCharacters(base, from: index, to: stop)
            guard index < stop else { return index == lineLimit ? .failed(.requestLineTooLong) : .incomplete }
            let byte = base[index]
            if byte == ASCII.lineFeed { return .failed(.bareLineFeed) }
            guard byte == ASCII.carriageReturn else { return .failed(.invalidStatusLine) }
            if let error = Self.parseStatusLine(base, length: index, head: &head) { return .failed(error) }
            index += 1
            state = .statusLineFeed
            guard index < end else { return .incomplete }
        }
        guard base[index] == ASCII.lineFeed else { return .failed(.bareCarriageReturn) }
        index += 1
        return .ended
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
    mutating func finish(
        _ base: UnsafePointer<UInt8>, facts: HTTPFieldFacts, head: inout HTTPResponseHead, context request: Request
    ) -> HTTPParseError? {
        // Broken framing is refused even where the framing is then ignored (HEAD, 204, 304):
        // a target that sends it cannot be trusted to delimit anything.
        if let error = facts.framingError(version: head.version) { return error }
        let status = head.status
        head.isInformational = status < 200
        if status == 101 {
            guard request.wasUpgrade else { return .unexpectedSwitchingProtocols }
            head.isSwitchingProtocols = true
        }
        head.establishesTunnel = request.method == .connect && (200...299).contains(status)
        if request.method == .head || head.isInformational || status == 204 || status == 304 || head.establishesTunnel {
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
        return nil
    }
}
