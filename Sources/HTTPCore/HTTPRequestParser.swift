/// A strict, zero-copy, resumable parser of HTTP/1.1 request heads (RFC 9112).
///
/// Call `parse` with the bytes received so far; after `.incomplete`, call it again with the same
/// bytes (same first byte) plus whatever arrived since: the scan resumes where it stopped. After
/// `.complete` or `.failed` further calls return the same status until `reset()`. It does not
/// allocate once the head's field array has grown to the connection's usual field count.
public struct HTTPRequestParser: Sendable {
    private var driver: HTTPHeadParser<HTTPRequestLineGrammar>

    /// The bounds this parser enforces.
    public var limits: HTTPLimits { driver.limits }

    /// Creates a parser enforcing `limits`.
    public init(limits: HTTPLimits = HTTPLimits()) {
        driver = HTTPHeadParser(limits: limits)
    }

    /// Prepares for the next message (after the previous one's head and body were consumed).
    public mutating func reset() {
        driver.reset()
    }

    /// Parses the head at the start of `bytes` into `head`. See the type's documentation for
    /// the calling contract.
    public mutating func parse(_ bytes: UnsafeRawBufferPointer, into head: inout HTTPRequestHead) -> HTTPParseStatus {
        driver.parse(bytes, into: &head, context: ())
    }
}

/// The request side of `HTTPHeadParser`: the request line (RFC 9112 §3), the target's form,
/// and the rules of a complete request head.
struct HTTPRequestLineGrammar: HTTPStartLineGrammar {
    typealias Head = HTTPRequestHead
    typealias Context = Void

    /// Where the request-line scan stopped.
    private enum State: UInt8, Sendable {
        /// At the start of a line before the request line (empty lines may be skipped).
        case lineStart
        /// After the CR of an empty line before the request line.
        case leadingLineFeed
        case method
        case target
        case version
        /// After the CR ending the request line.
        case requestLineFeed
    }

    static var sender: HTTPFieldFacts.Sender { .client }

    private var state: State = .lineStart
    private var requestLineStart = 0
    private var targetStart = 0
    private var versionStart = 0
    private var lineLimit = 0

    init() {}

    @inline(__always)
    mutating func reset() {
        state = .lineStart
    }

    @inline(__always)
    mutating func scan(
        _ base: UnsafePointer<UInt8>, index: inout Int, end: Int, limits: HTTPLimits, head: inout HTTPRequestHead
    ) -> HTTPStartLineOutcome {
        while index < end {
            switch state {
            case .lineStart:
                let byte = base[index]
                if ASCII.isTokenCharacter(byte) {
                    requestLineStart = index
                    // One past the last byte the request line may occupy (its CR may sit at the
                    // limit); the request-line states never scan beyond it.
                    lineLimit = index + limits.maxRequestLineLength + 1
                    index += 1
                    state = .method
                } else if byte == ASCII.carriageReturn {
                    index += 1
                    state = .leadingLineFeed
                } else if byte == ASCII.lineFeed {
                    return .failed(.bareLineFeed)
                } else if byte == ASCII.space {
                    return .failed(.invalidRequestLine)
                } else {
                    return .failed(.invalidMethod)
                }

            case .leadingLineFeed:
                guard base[index] == ASCII.lineFeed else { return .failed(.bareCarriageReturn) }
                index += 1
                state = .lineStart

            case .method:
                let stop = min(end, lineLimit)
                while index < stop, ASCII.isTokenCharacter(base[index]) { index += 1 }
                guard index < stop else { return index == lineLimit ? .failed(.requestLineTooLong) : .incomplete }
                let byte = base[index]
                if byte == ASCII.space {
                    head.methodRange = requestLineStart..<index
                    index += 1
                    targetStart = index
                    state = .target
                } else if byte == ASCII.lineFeed {
                    return .failed(.bareLineFeed)
                } else if byte == ASCII.carriageReturn {
                    return .failed(.invalidRequestLine)
                } else {
                    return .failed(.invalidMethod)
                }

            case .target:
                let stop = min(end, lineLimit)
                index = Self.skipTargetCharacters(base, from: index, to: stop)
                guard index < stop else { return index == lineLimit ? .failed(.requestLineTooLong) : .incomplete }
                let byte = base[index]
                if byte == ASCII.space {
                    guard index > targetStart else { return .failed(.emptyTarget) }
                    head.targetRange = targetStart..<index
                    index += 1
                    versionStart = index
                    state = .version
                } else if byte == ASCII.lineFeed {
                    return .failed(.bareLineFeed)
                } else if byte == ASCII.carriageReturn {
                    return .failed(.invalidRequestLine)
                } else {
                    return .failed(.invalidTarget)
                }

            case .version:
                // Nothing longer than `HTTP/1.1` can be a version: stop scanning junk early.
                let stop = min(end, lineLimit, versionStart + 9)
                while index < stop, base[index] > ASCII.space, base[index] < ASCII.delete { index += 1 }
                guard index < stop else {
                    if index == versionStart + 9 { return .failed(.invalidVersion) }
                    return index == lineLimit ? .failed(.requestLineTooLong) : .incomplete
                }
                let byte = base[index]
                if byte == ASCII.carriageReturn {
                    switch HTTPVersion.parse(base + versionStart, count: index - versionStart) {
                    case .version(let version): head.version = version
                    case .unsupported: return .failed(.unsupportedVersion)
                    case .malformed: return .failed(index == versionStart ? .invalidRequestLine : .invalidVersion)
                    }
                    index += 1
                    state = .requestLineFeed
                } else if byte == ASCII.space {
                    return .failed(.invalidRequestLine)
                } else if byte == ASCII.lineFeed {
                    return .failed(.bareLineFeed)
                } else {
                    return .failed(.invalidVersion)
                }

            case .requestLineFeed:
                guard base[index] == ASCII.lineFeed else { return .failed(.bareCarriageReturn) }
                index += 1
                head.method = HTTPMethod.identify(base + requestLineStart, count: head.methodRange.count)
                if let error = Self.classifyTarget(base, head: &head) { return .failed(error) }
                return .ended
            }
        }
        return .incomplete
    }

    /// Applies the rules that need the whole head and fills in the derived facts.
    @inline(__always)
    mutating func finish(_ base: UnsafePointer<UInt8>, facts: HTTPFieldFacts, head: inout HTTPRequestHead, context: Void)
        -> HTTPParseError?
    {
        if let error = facts.framingError(version: head.version) { return error }
        if head.version == .http1_1, facts.hostFieldIndex == nil { return .missingHost }
        if facts.hasTransferEncoding {
            head.framing = .chunked
        } else if let length = facts.contentLength {
            head.framing = .contentLength(length)
        } else {
            head.framing = .none
        }
        head.keepAlive = facts.keepAlive(version: head.version)
        head.hostFieldIndex = facts.hostFieldIndex
        head.expectsContinue = facts.expectsContinue && head.version == .http1_1
        head.upgradeRequested = facts.connectionUpgrade && facts.hasUpgradeField && head.version == .http1_1
        facts.markConnectionListedFields(&head.fields, in: base)
        return nil
    }

    /// Works out the target's form and checks it suits the method (RFC 9112 §3.2).
    private static func classifyTarget(_ base: UnsafePointer<UInt8>, head: inout HTTPRequestHead) -> HTTPParseError? {
        let target = head.targetRange
        let first = base[target.lowerBound]
        if head.method == .connect {
            guard HTTPHostValidation.isValidHost(base, from: target.lowerBound, to: target.upperBound, requirePort: true)
            else { return .invalidTarget }
            head.targetForm = .authority
            head.targetAuthorityRange = target
            head.targetPathRange = target.upperBound..<target.upperBound
            return nil
        }
        if first == ASCII.slash {
            head.targetForm = .origin
            head.targetPathRange = target
            return nil
        }
        if first == ASCII.asterisk, target.count == 1 {
            guard head.method == .options else { return .invalidTarget }
            head.targetForm = .asterisk
            head.targetPathRange = target.upperBound..<target.upperBound
            return nil
        }
        // absolute-form: only the http and https schemes make sense to an HTTP proxy.
        var authorityStart = target.lowerBound
        let count = target.count
        if count >= 7, ByteComparison.equalsIgnoringCase(base + target.lowerBound, count: 7, lowercaseLiteral: "http://") {
            authorityStart += 7
        } else if count >= 8,
            ByteComparison.equalsIgnoringCase(base + target.lowerBound, count: 8, lowercaseLiteral: "https://")
        {
            authorityStart += 8
        } else {
            return .invalidTarget
        }
        var authorityEnd = authorityStart
        while authorityEnd < target.upperBound, base[authorityEnd] != ASCII.slash,
            base[authorityEnd] != ASCII.questionMark
        {
            authorityEnd += 1
        }
        // An http(s) URI must have a non-empty host and no userinfo (RFC 9110 §4.2.1, §4.2.4).
        guard authorityEnd > authorityStart,
            HTTPHostValidation.isValidHost(base, from: authorityStart, to: authorityEnd)
        else { return .invalidTarget }
        head.targetForm = .absolute
        head.targetAuthorityRange = authorityStart..<authorityEnd
        head.targetPathRange = authorityEnd..<target.upperBound
        return nil
    }

    /// Returns the index of the first byte at or after `start` that cannot be part of a request
    /// target (anything outside `%x21-7E`, and `#`), or `end`. Eight bytes at a time.
    @inline(__always)
    static func skipTargetCharacters(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        let raw = UnsafeRawPointer(bytes)
        while index < end {
            if index &+ 8 <= end {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if !ByteWord.hasByte(lessThan: ASCII.space + 1, in: word), !ByteWord.hasNonASCII(word),
                    !ByteWord.hasByte(equalTo: ASCII.delete, in: word),
                    !ByteWord.hasByte(equalTo: ASCII.numberSign, in: word)
                {
                    index &+= 8
                    continue
                }
            }
            let byte = bytes[index]
            guard byte > ASCII.space, byte < ASCII.delete, byte != ASCII.numberSign else { return index }
            index &+= 1
        }
        return index
    }
}
