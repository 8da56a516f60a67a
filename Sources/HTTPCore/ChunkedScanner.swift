/// Validates a chunked body (RFC 9112 §7.1) as it streams past, so that a proxy can forward the
/// bytes verbatim knowing exactly where the body ends. It holds no body bytes: feed it any
/// split of the stream, down to one byte at a time.
///
/// Stricter than the grammar where leniency has been used for smuggling: no whitespace anywhere
/// in a chunk-size line (the grammar's `BWS` included), at most 16 hex digits, extensions only as
/// `;token[=token|quoted-string]` and bounded, trailer fields checked like head fields and never
/// Content-Length, Transfer-Encoding or Host.
public struct ChunkedScanner: Sendable {
    private enum State: UInt8, Sendable {
        /// Expecting the first hex digit of a chunk size.
        case sizeStart
        /// After at least one hex digit.
        case size
        /// After `;`, expecting the first byte of an extension name.
        case extensionNameStart
        case extensionName
        /// After `=`, expecting a token or a quoted string.
        case extensionValueStart
        case extensionTokenValue
        case extensionQuotedValue
        /// After a backslash inside a quoted string.
        case extensionQuotedPair
        /// After the closing quote: `;` or CR.
        case extensionValueEnd
        /// After the CR ending a chunk-size line.
        case sizeLineFeed
        case data
        /// Expecting the CR after chunk data.
        case dataCarriageReturn
        case dataLineFeed
        /// At the start of a trailer line: a name, or the CR of the final empty line.
        case trailerLineStart
        case trailerName
        case trailerValue
        case trailerLineFeed
        /// After the CR of the final empty line.
        case finalLineFeed
        case finished
        case failed
    }

    /// Most hex digits in a chunk size: 16 fill 64 bits.
    private static let maxSizeDigits = 16
    /// Trailer names that would carry framing or routing.
    private static let forbiddenTrailerNames: (StaticString, StaticString, StaticString) =
        ("content-length", "transfer-encoding", "host")

    /// The bounds this scanner enforces (chunk extensions, trailer section, trailer field count).
    public let limits: HTTPLimits
    private var state: State = .sizeStart
    private var chunkSize: UInt64 = 0
    private var sizeDigits = 0
    private var remaining = 0
    private var extensionLength = 0
    private var trailerLength = 0
    private var trailerFieldCount = 0
    private var trailerNameLength = 0
    /// Bit i set: the trailer name so far is a prefix of `forbiddenTrailerNames.i`.
    private var forbiddenCandidates: UInt8 = 0
    private var failure: HTTPParseError = .invalidChunkSize
    /// Chunk data bytes seen so far (not counting chunk lines, CRLFs and trailers).
    public private(set) var dataLength = 0

    /// Creates a scanner for one body.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// True once the last chunk, trailers and final CRLF have been seen.
    public var isFinished: Bool { state == .finished }

    /// Prepares for the next body.
    public mutating func reset() {
        state = .sizeStart
        chunkSize = 0
        sizeDigits = 0
        remaining = 0
        extensionLength = 0
        trailerLength = 0
        trailerFieldCount = 0
        dataLength = 0
    }

    /// Scans the next bytes of the body.
    public mutating func scan(_ bytes: UnsafeRawBufferPointer) -> ChunkedScanResult {
        scan(bytes) { _ in }
    }

    /// Scans the next bytes of the body, calling `onData` with each run of chunk data (the
    /// payload without the chunk framing), in order.
    public mutating func scan(
        _ bytes: UnsafeRawBufferPointer, onData: (UnsafeRawBufferPointer) -> Void
    ) -> ChunkedScanResult {
        switch state {
        case .finished: return .consumed(0, finished: true)
        case .failed: return .failed(failure)
        default: break
        }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return .consumed(0, finished: false)
        }
        let end = bytes.count
        var index = 0
        while index < end {
            if state == .data {
                let count = min(remaining, end - index)
                onData(UnsafeRawBufferPointer(start: base + index, count: count))
                index += count
                remaining -= count
                dataLength += count
                if remaining == 0 { state = .dataCarriageReturn }
                continue
            }
            let byte = base[index]
            index += 1
            if let error = step(byte) {
                state = .failed
                failure = error
                return .failed(error)
            }
            if state == .finished { return .consumed(index, finished: true) }
        }
        return .consumed(end, finished: false)
    }

    /// Advances the state machine by one byte outside chunk data; returns the rule it breaks.
    @inline(__always)
    private mutating func step(_ byte: UInt8) -> HTTPParseError? {
        switch state {
        case .sizeStart:
            guard let digit = ASCII.hexValue(byte) else { return .invalidChunkSize }
            chunkSize = digit
            sizeDigits = 1
            state = .size

        case .size:
            if let digit = ASCII.hexValue(byte) {
                guard sizeDigits < Self.maxSizeDigits else { return .chunkSizeOverflow }
                chunkSize = chunkSize << 4 | digit
                sizeDigits += 1
            } else if byte == ASCII.semicolon {
                extensionLength = 1
                state = .extensionNameStart
            } else if byte == ASCII.carriageReturn {
                state = .sizeLineFeed
            } else if byte == ASCII.lineFeed {
                return .bareLineFeed
            } else {
                return .invalidChunkSize
            }

        case .extensionNameStart, .extensionName, .extensionValueStart, .extensionTokenValue,
            .extensionQuotedValue, .extensionQuotedPair, .extensionValueEnd:
            return stepExtension(byte)

        case .sizeLineFeed:
            guard byte == ASCII.lineFeed else { return .bareCarriageReturn }
            guard chunkSize <= UInt64(Int.max) else { return .chunkSizeOverflow }
            if chunkSize == 0 {
                trailerLength = 0
                state = .trailerLineStart
            } else {
                remaining = Int(chunkSize)
                state = .data
            }

        case .data:
            return nil  // handled in bulk by `scan`

        case .dataCarriageReturn:
            guard byte == ASCII.carriageReturn else { return .missingChunkDataTerminator }
            state = .dataLineFeed

        case .dataLineFeed:
            guard byte == ASCII.lineFeed else { return .missingChunkDataTerminator }
            state = .sizeStart

        case .trailerLineStart, .trailerName, .trailerValue, .trailerLineFeed, .finalLineFeed:
            trailerLength += 1
            guard trailerLength <= limits.maxTrailerSectionLength else { return .trailerSectionTooLarge }
            return stepTrailer(byte)

        case .finished, .failed:
            return nil
        }
        return nil
    }

    /// One byte of `*( ";" token [ "=" ( token / quoted-string ) ] )`, no whitespace.
    @inline(__always)
    private mutating func stepExtension(_ byte: UInt8) -> HTTPParseError? {
        if byte == ASCII.carriageReturn {
            switch state {
            case .extensionName, .extensionTokenValue, .extensionValueEnd:
                state = .sizeLineFeed
                return nil
            default:
                return .invalidChunkExtension
            }
        }
        extensionLength += 1
        guard extensionLength <= limits.maxChunkExtensionLength else { return .chunkExtensionTooLong }
        switch state {
        case .extensionNameStart:
            guard ASCII.isTokenCharacter(byte) else { return .invalidChunkExtension }
            state = .extensionName
        case .extensionName, .extensionTokenValue:
            if ASCII.isTokenCharacter(byte) { return nil }
            if byte == ASCII.semicolon {
                state = .extensionNameStart
            } else if byte == ASCII.equals, state == .extensionName {
                state = .extensionValueStart
            } else {
                return .invalidChunkExtension
            }
        case .extensionValueStart:
            if byte == ASCII.doubleQuote {
                state = .extensionQuotedValue
            } else if ASCII.isTokenCharacter(byte) {
                state = .extensionTokenValue
            } else {
                return .invalidChunkExtension
            }
        case .extensionQuotedValue:
            if byte == ASCII.doubleQuote {
                state = .extensionValueEnd
            } else if byte == ASCII.backslash {
                state = .extensionQuotedPair
            } else if !ASCII.isFieldValueCharacter(byte) {
                return .invalidChunkExtension
            }
        case .extensionQuotedPair:
            guard ASCII.isFieldValueCharacter(byte) else { return .invalidChunkExtension }
            state = .extensionQuotedValue
        case .extensionValueEnd:
            guard byte == ASCII.semicolon else { return .invalidChunkExtension }
            state = .extensionNameStart
        default:
            return .invalidChunkExtension
        }
        return nil
    }

    /// One byte of the trailer section: field lines with head rules, then CRLF.
    @inline(__always)
    private mutating func stepTrailer(_ byte: UInt8) -> HTTPParseError? {
        switch state {
        case .trailerLineStart:
            if byte == ASCII.carriageReturn {
                state = .finalLineFeed
                return nil
            }
            if byte == ASCII.lineFeed { return .bareLineFeed }
            guard ASCII.isTokenCharacter(byte) else { return .invalidTrailerField }
            trailerFieldCount += 1
            guard trailerFieldCount <= limits.maxFieldCount else { return .trailerSectionTooLarge }
            trailerNameLength = 0
            forbiddenCandidates = 0b111
            matchForbiddenName(byte)
            state = .trailerName
        case .trailerName:
            if ASCII.isTokenCharacter(byte) {
                matchForbiddenName(byte)
            } else if byte == ASCII.colon {
                if isForbiddenNameComplete() { return .forbiddenTrailerField }
                state = .trailerValue
            } else if byte == ASCII.lineFeed {
                return .bareLineFeed
            } else {
                return .invalidTrailerField
            }
        case .trailerValue:
            if byte == ASCII.carriageReturn {
                state = .trailerLineFeed
            } else if byte == ASCII.lineFeed {
                return .bareLineFeed
            } else if !ASCII.isFieldValueCharacter(byte) {
                return .invalidTrailerField
            }
        case .trailerLineFeed:
            guard byte == ASCII.lineFeed else { return .bareCarriageReturn }
            state = .trailerLineStart
        case .finalLineFeed:
            guard byte == ASCII.lineFeed else { return .bareCarriageReturn }
            state = .finished
        default:
            return .invalidTrailerField
        }
        return nil
    }

    /// Narrows the forbidden names the trailer name can still become by its next byte.
    @inline(__always)
    private mutating func matchForbiddenName(_ byte: UInt8) {
        let lower = byte | ASCII.lowerCaseBit
        let position = trailerNameLength
        trailerNameLength += 1
        guard forbiddenCandidates != 0 else { return }
        let names = Self.forbiddenTrailerNames
        if !Self.matches(names.0, at: position, lower) { forbiddenCandidates &= ~0b001 }
        if !Self.matches(names.1, at: position, lower) { forbiddenCandidates &= ~0b010 }
        if !Self.matches(names.2, at: position, lower) { forbiddenCandidates &= ~0b100 }
    }

    @inline(__always)
    private static func matches(_ name: StaticString, at position: Int, _ lower: UInt8) -> Bool {
        position < name.utf8CodeUnitCount && name.utf8Start[position] == lower
    }

    @inline(__always)
    private func isForbiddenNameComplete() -> Bool {
        let names = Self.forbiddenTrailerNames
        return (forbiddenCandidates & 0b001 != 0 && trailerNameLength == names.0.utf8CodeUnitCount)
            || (forbiddenCandidates & 0b010 != 0 && trailerNameLength == names.1.utf8CodeUnitCount)
            || (forbiddenCandidates & 0b100 != 0 && trailerNameLength == names.2.utf8CodeUnitCount)
    }
}
