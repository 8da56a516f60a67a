/// How the body of a request is delimited (RFC 9112 §6.3).
public enum HTTPRequestFraming: Equatable, Hashable, Sendable {
    /// No body: neither Content-Length nor Transfer-Encoding.
    case none
    /// Exactly this many bytes follow the head.
    case contentLength(Int)
    /// A chunked body follows; feed it to a `ChunkedScanner`.
    case chunked
}

/// How the body of a response is delimited (RFC 9112 §6.3).
public enum HTTPResponseFraming: Equatable, Hashable, Sendable {
    /// No body: an answer to HEAD, a 1xx, 204 or 304, or a 2xx answer to CONNECT.
    case none
    /// Exactly this many bytes follow the head.
    case contentLength(Int)
    /// A chunked body follows; feed it to a `ChunkedScanner`.
    case chunked
    /// The body runs until the target closes the connection (which then cannot be reused).
    case untilClose
}
