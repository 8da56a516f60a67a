/// The resumable scanner of a head's field lines and final empty line (RFC 9112 §5), shared by
/// the request and response parsers. It keeps its position between calls, so a head arriving a
/// byte at a time is still scanned once.
struct HTTPFieldSectionScanner: Sendable {
    /// Where in a field line the scan stopped.
    enum State: UInt8, Sendable {
        /// At the first byte of a line: a name, or the CR of the empty line.
        case lineStart
        /// Inside a field name.
        case name
        /// After the colon, skipping whitespace.
        case valueLeadingWhitespace
        /// Inside a field value.
        case value
        /// After the CR ending a field line.
        case fieldLineFeed
        /// After the CR of the empty line that ends the head.
        case finalLineFeed
    }

    enum Outcome {
        case needMore
        case complete(headLength: Int)
        case failed(HTTPParseError)
    }

    private var state: State = .lineStart
    private var nameStart = 0
    private var nameEnd = 0
    private var valueStart = 0
    private var kind: HTTPFieldKind = .other
    private(set) var facts = HTTPFieldFacts()

    init() {}

    mutating func reset() {
        state = .lineStart
        facts = HTTPFieldFacts()
    }

    /// Scans `bytes[position..<end]`, appending each completed field to `fields`. On `.needMore`,
    /// `position` is where the next call resumes.
    ///
    /// The states fall through into each other, so a field line that is all there is scanned in
    /// one straight pass; the state is only stored when the bytes run out mid-line.
    @inline(__always)
    mutating func scan(
        _ bytes: UnsafePointer<UInt8>, position: inout Int, end: Int,
        fields: inout [HTTPField], limits: HTTPLimits, sender: HTTPFieldFacts.Sender
    ) -> Outcome {
        var index = position
        var state = self.state
        var nameStart = self.nameStart
        var nameEnd = self.nameEnd
        var valueStart = self.valueStart
        var kind = self.kind
        defer {
            position = index
            self.state = state
            self.nameStart = nameStart
            self.nameEnd = nameEnd
            self.valueStart = valueStart
            self.kind = kind
        }
        while index < end {
            switch state {
            case .lineStart:
                let byte = bytes[index]
                guard ASCII.isTokenCharacter(byte) else {
                    if byte == ASCII.carriageReturn {
                        index &+= 1
                        state = .finalLineFeed
                        continue
                    }
                    if ASCII.isWhitespace(byte) { return .failed(.obsoleteLineFolding) }
                    return .failed(byte == ASCII.lineFeed ? .bareLineFeed : .invalidFieldName)
                }
                nameStart = index
                index &+= 1
                fallthrough

            case .name:
                while index < end, ASCII.isTokenCharacter(bytes[index]) { index &+= 1 }
                guard index < end else {
                    state = .name
                    return .needMore
                }
                let byte = bytes[index]
                guard byte == ASCII.colon else {
                    if ASCII.isWhitespace(byte) { return .failed(.whitespaceBeforeColon) }
                    if byte == ASCII.carriageReturn || byte == ASCII.lineFeed { return .failed(.missingColon) }
                    return .failed(.invalidFieldName)
                }
                nameEnd = index
                kind = HTTPFieldKind.classify(bytes + nameStart, count: nameEnd &- nameStart)
                if kind == .other,
                    HTTPFieldKind.isUnderscoreSpellingOfFramingField(bytes + nameStart, count: nameEnd &- nameStart)
                {
                    return .failed(.underscoreInFramingFieldName)
                }
                index &+= 1
                fallthrough

            case .valueLeadingWhitespace:
                while index < end, ASCII.isWhitespace(bytes[index]) { index &+= 1 }
                guard index < end else {
                    state = .valueLeadingWhitespace
                    return .needMore
                }
                valueStart = index
                fallthrough

            case .value:
                index = Self.skipValueCharacters(bytes, from: index, to: end)
                guard index < end else {
                    state = .value
                    return .needMore
                }
                let byte = bytes[index]
                guard byte == ASCII.carriageReturn else {
                    return .failed(byte == ASCII.lineFeed ? .bareLineFeed : .invalidFieldValue)
                }
                index &+= 1
                fallthrough

            case .fieldLineFeed:
                guard index < end else {
                    state = .fieldLineFeed
                    return .needMore
                }
                guard bytes[index] == ASCII.lineFeed else { return .failed(.bareCarriageReturn) }
                // Checked once the line is whole, so that the error does not depend on how the
                // head was split across reads (a line's earlier error wins either way).
                guard index &- 1 &- nameStart <= limits.maxFieldLineLength else { return .failed(.fieldLineTooLong) }
                // The CR is at index - 1; trailing whitespace is trimmed back to the value start.
                var valueEnd = index &- 1
                while valueEnd > valueStart, ASCII.isWhitespace(bytes[valueEnd &- 1]) { valueEnd &-= 1 }
                index &+= 1
                guard fields.count < limits.maxFieldCount else { return .failed(.tooManyFields) }
                if kind != .other,
                    let error = facts.record(
                        kind: kind, index: fields.count, value: bytes, from: valueStart, to: valueEnd, sender: sender)
                {
                    return .failed(error)
                }
                fields.append(
                    HTTPField(nameRange: nameStart..<nameEnd, valueRange: valueStart..<valueEnd, kind: kind))
                state = .lineStart

            case .finalLineFeed:
                guard bytes[index] == ASCII.lineFeed else { return .failed(.bareCarriageReturn) }
                index &+= 1
                return .complete(headLength: index)
            }
        }
        return .needMore
    }

    /// Returns the index of the first byte at or after `start` that cannot be part of a field
    /// value (CR, LF, another CTL, DEL), or `end`. Eight bytes at a time while they are all
    /// printable.
    @inline(__always)
    static func skipValueCharacters(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        let raw = UnsafeRawPointer(bytes)
        while index < end {
            if index &+ 8 <= end {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if !ByteWord.hasByte(lessThan: ASCII.space, in: word),
                    !ByteWord.hasByte(equalTo: ASCII.delete, in: word)
                {
                    index &+= 8
                    continue
                }
            }
            guard ASCII.isFieldValueCharacter(bytes[index]) else { return index }
            index &+= 1
        }
        return index
    }
}
