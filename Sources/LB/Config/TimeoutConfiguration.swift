/// Every timeout of the load balancer, in seconds. Each has a name saying what it bounds; the
/// I/O engine uses these and nothing else.
public struct TimeoutConfiguration: Sendable, Equatable {
    /// Time a client has to send a complete request line and header block, counted from the
    /// first byte of the request (or from accepting the connection). Bounds slowloris clients.
    public var clientHeaderRead: Double = 10
    /// Longest pause between two reads of a request body before the request is abandoned.
    public var clientBodyIdle: Double = 60
    /// Time a keep-alive client connection may sit idle between requests (ALB's idle timeout, 60 s).
    public var clientIdleKeepAlive: Double = 60
    /// Longest a write to a client may stay blocked (the client not reading) before the
    /// connection is closed.
    public var clientWriteStall: Double = 60
    /// After an error response that ends a connection while the client may still be sending
    /// (the rest of a refused body, pipelined requests), how long the LB goes on reading and
    /// discarding what arrives, so that the client reads the response instead of a reset
    /// (nginx's `lingering_time`). Counted from the response's end, not renewed by reads.
    public var clientLinger: Double = 5
    /// Time allowed for a TLS handshake on an HTTPS listener.
    public var tlsHandshake: Double = 10
    /// Time allowed to establish a TCP connection to a target.
    public var targetConnect: Double = 5
    /// Time from the request being sent to a target until its response head arrives, and
    /// the longest pause between reads of the response body.
    public var targetResponse: Double = 60
    /// Time an idle pooled connection to a target is kept before it is closed.
    public var targetIdle: Double = 60
    /// On shutdown (or when a listener is removed), the time in-flight requests get to finish
    /// before their connections are closed.
    public var shutdownGrace: Double = 30

    /// The range every timeout must be in: above zero, at most ALB's longest idle timeout (4000 s).
    public static let allowedRange: ClosedRange<Double> = 0.001...4000

    public init() {}

    /// The file's key for each timeout and the key path that sets it.
    static let fields: [(key: String, path: WritableKeyPath<TimeoutConfiguration, Double> & Sendable)] = [
        ("clientHeaderRead", \.clientHeaderRead),
        ("clientBodyIdle", \.clientBodyIdle),
        ("clientIdleKeepAlive", \.clientIdleKeepAlive),
        ("clientWriteStall", \.clientWriteStall),
        ("clientLinger", \.clientLinger),
        ("tlsHandshake", \.tlsHandshake),
        ("targetConnect", \.targetConnect),
        ("targetResponse", \.targetResponse),
        ("targetIdle", \.targetIdle),
        ("shutdownGrace", \.shutdownGrace),
    ]
}
