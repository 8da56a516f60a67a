/// The fields the proxy, API server and parsers act on, recognised once while parsing so that
/// later code switches on a byte instead of comparing names again.
public enum HTTPFieldKind: UInt8, Equatable, Hashable, Sendable {
    case host
    case contentLength
    case transferEncoding
    case connection
    case keepAlive
    case proxyConnection
    case te
    case trailer
    case upgrade
    case expect
    case xForwardedFor
    case xForwardedProto
    case xForwardedPort
    case xRequestID
    case other

    /// Classifies a field name (already checked to be a token) case-insensitively.
    @inline(__always)
    static func classify(_ name: UnsafePointer<UInt8>, count: Int) -> HTTPFieldKind {
        // The first byte, lower-cased, splits every length bucket before any full comparison.
        let first = name[0] | ASCII.lowerCaseBit
        switch count {
        case 2:
            if first == 0x74, ByteComparison.equalsIgnoringCase(name, count: 2, lowercaseLiteral: "te") { return .te }
        case 4:
            if first == 0x68, ByteComparison.equalsIgnoringCase(name, count: 4, lowercaseLiteral: "host") { return .host }
        case 6:
            if first == 0x65, ByteComparison.equalsIgnoringCase(name, count: 6, lowercaseLiteral: "expect") {
                return .expect
            }
        case 7:
            if first == 0x74, ByteComparison.equalsIgnoringCase(name, count: 7, lowercaseLiteral: "trailer") {
                return .trailer
            }
            if first == 0x75, ByteComparison.equalsIgnoringCase(name, count: 7, lowercaseLiteral: "upgrade") {
                return .upgrade
            }
        case 10:
            if first == 0x63, ByteComparison.equalsIgnoringCase(name, count: 10, lowercaseLiteral: "connection") {
                return .connection
            }
            if first == 0x6B, ByteComparison.equalsIgnoringCase(name, count: 10, lowercaseLiteral: "keep-alive") {
                return .keepAlive
            }
        case 12:
            if first == 0x78, ByteComparison.equalsIgnoringCase(name, count: 12, lowercaseLiteral: "x-request-id") {
                return .xRequestID
            }
        case 14:
            if first == 0x63, ByteComparison.equalsIgnoringCase(name, count: 14, lowercaseLiteral: "content-length") {
                return .contentLength
            }
        case 15:
            if first == 0x78,
                ByteComparison.equalsIgnoringCase(name, count: 15, lowercaseLiteral: "x-forwarded-for")
            {
                return .xForwardedFor
            }
        case 16:
            if first == 0x70,
                ByteComparison.equalsIgnoringCase(name, count: 16, lowercaseLiteral: "proxy-connection")
            {
                return .proxyConnection
            }
            if first == 0x78,
                ByteComparison.equalsIgnoringCase(name, count: 16, lowercaseLiteral: "x-forwarded-port")
            {
                return .xForwardedPort
            }
        case 17:
            if first == 0x74,
                ByteComparison.equalsIgnoringCase(name, count: 17, lowercaseLiteral: "transfer-encoding")
            {
                return .transferEncoding
            }
            if first == 0x78,
                ByteComparison.equalsIgnoringCase(name, count: 17, lowercaseLiteral: "x-forwarded-proto")
            {
                return .xForwardedProto
            }
        default:
            break
        }
        return .other
    }

    /// True for a name that is Content-Length or Transfer-Encoding with some `-` written as `_`
    /// (`Content_Length`, `transfer_encoding`). Servers that map `_` to `-` (CGI-style
    /// environments do) would take it as framing the proxy ignored: a smuggling vector.
    static func isUnderscoreSpellingOfFramingField(_ name: UnsafePointer<UInt8>, count: Int) -> Bool {
        let literal: StaticString
        switch count {
        case 14: literal = "content-length"
        case 17: literal = "transfer-encoding"
        default: return false
        }
        let expected = literal.utf8Start
        var sawUnderscore = false
        for offset in 0..<count {
            var byte = name[offset]
            if byte == 0x5F {
                sawUnderscore = true
                byte = 0x2D
            }
            guard byte | ASCII.lowerCaseBit == expected[offset] || byte == expected[offset] else { return false }
        }
        return sawUnderscore
    }
}
