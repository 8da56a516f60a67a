/// Every time bound of a pull, in seconds.
public struct PullTimeouts: Sendable, Equatable {
    /// TCP connect (and TLS handshake) to the registry.
    public var connect: Double
    /// Longest wait for any bytes while a request or body is in flight: a registry silent
    /// this long is stalled.
    public var idle: Double
    /// The whole pull, all layers included.
    public var overall: Double

    public init(connect: Double = 10, idle: Double = 30, overall: Double = 30 * 60) {
        self.connect = connect
        self.idle = idle
        self.overall = overall
    }
}

/// How failures that may pass are retried.
public struct PullRetryPolicy: Sendable, Equatable {
    /// Attempts per request (and per blob, each resuming where the last stopped).
    public var attempts: Int
    /// Wait before the second attempt; doubled for each further one.
    public var initialBackoff: Double

    public init(attempts: Int = 4, initialBackoff: Double = 0.2) {
        self.attempts = attempts
        self.initialBackoff = initialBackoff
    }
}
