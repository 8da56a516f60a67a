/// Why a byte sequence is not an acceptable JSON document.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Equatable {
        /// The input ended inside a value.
        case unexpectedEnd
        /// A byte that cannot start or continue a value here (the byte is given).
        case unexpectedByte(UInt8)
        /// Non-whitespace after the top-level value.
        case trailingContent
        /// A string with bytes that are not UTF-8, a raw control character, or a bad escape.
        case invalidString(String)
        /// A number that breaks the JSON number grammar or is out of `Double` range.
        case invalidNumber
        /// Arrays and objects nested deeper than the parser's limit.
        case nestingTooDeep(limit: Int)
    }

    /// Byte offset in the input where the problem was found.
    public let offset: Int
    public let reason: Reason

    public init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .unexpectedEnd:
            return "Unexpected end of input at byte \(offset)."
        case .unexpectedByte(let byte):
            let shown = (0x21...0x7E).contains(byte)
                ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
            return "Unexpected character \(shown) at byte \(offset)."
        case .trailingContent:
            return "Unexpected content after the JSON document at byte \(offset)."
        case .invalidString(let detail):
            return "Invalid string at byte \(offset): \(detail)."
        case .invalidNumber:
            return "Invalid number at byte \(offset)."
        case .nestingTooDeep(let limit):
            return "JSON nested deeper than \(limit) levels at byte \(offset)."
        }
    }
}
