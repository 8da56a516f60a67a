/// The protocol versions this module speaks. Any other well-formed version is rejected with 505.
public enum HTTPVersion: UInt8, Equatable, Hashable, Sendable {
    case http1_0
    case http1_1

    /// The outcome of reading the 8 bytes `HTTP/x.y`.
    enum ParseResult {
        case version(HTTPVersion)
        /// Well-formed, but neither 1.0 nor 1.1.
        case unsupported
        /// Not `HTTP/DIGIT.DIGIT`.
        case malformed
    }

    /// Parses an `HTTP-version` (RFC 9112 §2.3) of `count` bytes; case-sensitive, exactly 8 bytes.
    @inline(__always)
    static func parse(_ bytes: UnsafePointer<UInt8>, count: Int) -> ParseResult {
        guard count == 8,
            bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50,  // "HTTP"
            bytes[4] == ASCII.slash, ASCII.isDigit(bytes[5]), bytes[6] == ASCII.period,
            ASCII.isDigit(bytes[7])
        else { return .malformed }
        guard bytes[5] == 0x31 else { return .unsupported }
        switch bytes[7] {
        case 0x30: return .version(.http1_0)
        case 0x31: return .version(.http1_1)
        default: return .unsupported
        }
    }
}
