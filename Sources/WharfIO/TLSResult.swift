/// The outcome of one non-blocking TLS step (`handshake`, `read`, `write`, `shutdown`).
public enum TLSResult: Sendable, Equatable {
    /// The handshake or shutdown finished.
    case done
    /// This many plaintext bytes were read or written (more than zero).
    case bytes(Int)
    /// Call again once the socket is readable.
    case wantRead
    /// Call again once the socket is writable.
    case wantWrite
    /// The peer closed the connection: a `close_notify`, or a plain EOF (accepted as a close,
    /// `SSL_OP_IGNORE_UNEXPECTED_EOF`, because HTTP frames its own messages).
    case closed
    /// The connection failed; it cannot be used any more.
    case failed(TLSError)
}
