/// The outcome of feeding bytes to a `ChunkedScanner`.
public enum ChunkedScanResult: Equatable, Hashable, Sendable {
    /// The first `count` bytes of the input belong to the body. With `finished`, the body ended
    /// with the last of them (the rest of the input is the next message); otherwise `count` is
    /// the whole input and more is expected.
    case consumed(Int, finished: Bool)
    /// The body breaks a rule; the connection must not be reused.
    case failed(HTTPParseError)
}
