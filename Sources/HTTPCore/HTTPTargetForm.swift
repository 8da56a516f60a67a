/// The form of a request target (RFC 9112 §3.2).
public enum HTTPTargetForm: UInt8, Equatable, Hashable, Sendable {
    /// `/path?query`: the usual form.
    case origin
    /// `http://authority/path?query` (or `https://`): sent to proxies. The parser keeps Host as
    /// the authority that routes the request (see `HTTPRequestHead.targetAuthorityRange`).
    case absolute
    /// `host:port`: only with CONNECT.
    case authority
    /// `*`: only with OPTIONS.
    case asterisk
}
