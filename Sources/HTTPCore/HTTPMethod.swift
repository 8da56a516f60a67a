/// A request method. Methods are case-sensitive (RFC 9110 §9.1): `get` is `.other`.
public enum HTTPMethod: UInt8, Equatable, Hashable, Sendable {
    case get
    case head
    case post
    case put
    case delete
    case connect
    case options
    case trace
    case patch
    /// Any other token; its bytes are the head's `methodRange`.
    case other

    /// Identifies a method token already checked to be a non-empty `token`.
    @inline(__always)
    static func identify(_ bytes: UnsafePointer<UInt8>, count: Int) -> HTTPMethod {
        switch count {
        case 3:
            if ByteComparison.equals(bytes, count: 3, "GET") { return .get }
            if ByteComparison.equals(bytes, count: 3, "PUT") { return .put }
        case 4:
            if ByteComparison.equals(bytes, count: 4, "POST") { return .post }
            if ByteComparison.equals(bytes, count: 4, "HEAD") { return .head }
        case 5:
            if ByteComparison.equals(bytes, count: 5, "PATCH") { return .patch }
            if ByteComparison.equals(bytes, count: 5, "TRACE") { return .trace }
        case 6:
            if ByteComparison.equals(bytes, count: 6, "DELETE") { return .delete }
        case 7:
            if ByteComparison.equals(bytes, count: 7, "OPTIONS") { return .options }
            if ByteComparison.equals(bytes, count: 7, "CONNECT") { return .connect }
        default:
            break
        }
        return .other
    }
}
