/// One line of Wharf's small text format: a kind, then `key=value` fields.
///
/// The runtime and the supervisor talk through files (the plan, the event log) instead of a
/// socket, so a task is understood from its directory alone after any crash. Values are
/// percent-escaped (`%`, space, `=`, control bytes), so any string survives; keys may repeat,
/// which is how lists are written (`arg=sh arg=-c`).
public struct Record: Equatable, Sendable {
    public var kind: String
    public var fields: [(key: String, value: String)]

    public init(_ kind: String, _ fields: [(String, String)] = []) {
        self.kind = kind
        self.fields = fields.map { (key: $0.0, value: $0.1) }
    }

    public static func == (lhs: Record, rhs: Record) -> Bool {
        lhs.kind == rhs.kind && lhs.fields.map(\.key) == rhs.fields.map(\.key)
            && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    /// Appends a field.
    public mutating func add(_ key: String, _ value: String) { fields.append((key: key, value: value)) }

    /// Appends a field when `value` is not nil.
    public mutating func add(_ key: String, _ value: String?) {
        if let value { add(key, value) }
    }

    /// The first value of `key`.
    public subscript(key: String) -> String? { fields.first(where: { $0.key == key })?.value }

    /// Every value of a repeated `key`, in order.
    public func all(_ key: String) -> [String] { fields.filter { $0.key == key }.map(\.value) }

    public func int(_ key: String) -> Int? { self[key].flatMap { Int($0) } }
    public func int64(_ key: String) -> Int64? { self[key].flatMap { Int64($0) } }
    public func bool(_ key: String) -> Bool { self[key] == "1" }

    /// The line, without a trailing newline.
    public var encoded: String {
        var line = Record.escape(kind)
        for field in fields {
            line += " " + Record.escape(field.key) + "=" + Record.escape(field.value)
        }
        return line
    }

    /// Parses one line; `nil` for a blank or malformed line (a torn last line after a crash).
    ///
    /// Works on UTF-8 bytes, not Characters: every separator is ASCII and escaped inside
    /// values, and grapheme breaking made plan and event parsing a visible part of a launch.
    public init?(line: Substring) {
        let parts = line.utf8.split(separator: Self.space, omittingEmptySubsequences: true)
        guard let first = parts.first, let kind = Record.unescape(first) else { return nil }
        self.kind = kind
        self.fields = []
        fields.reserveCapacity(parts.count - 1)
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: Self.equalsSign),
                let key = Record.unescape(part[..<equals]),
                let value = Record.unescape(part[part.index(after: equals)...])
            else { return nil }
            fields.append((key: key, value: value))
        }
    }

    /// Parses a whole file of records, skipping lines that do not parse.
    public static func parseAll(_ text: String) -> [Record] {
        text.utf8.split(separator: newline).compactMap { Record(line: Substring($0)) }
    }

    private static let space = UInt8(ascii: " ")
    private static let equalsSign = UInt8(ascii: "=")
    private static let newline = UInt8(ascii: "\n")
    private static let percent = UInt8(ascii: "%")

    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: needsEscape) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if needsEscape(byte) {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hexDigit(byte >> 4))
                bytes.append(hexDigit(byte & 0xf))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "=") || byte == 0x7f
    }

    static func unescape(_ text: Substring.UTF8View) -> String? {
        guard text.contains(percent) else { return String(Substring(text)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var iterator = text.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 48 + value : 87 + value }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 97...102: return byte - 87
        case 65...70: return byte - 55
        default: return nil
        }
    }
}
