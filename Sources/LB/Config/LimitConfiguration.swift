/// Size and count limits of the load balancer. The header limits are ALB's documented quotas
/// ("Quotas for your Application Load Balancers": request line 16 K, single header 16 K,
/// whole header 64 K, 100 headers).
public struct LimitConfiguration: Sendable, Equatable {
    /// Longest request line (method, target, version) accepted, in bytes; longer is `414`.
    public var maxRequestLineLength: Int = 16 * 1024
    /// Longest single header field (name, colon and value), in bytes; longer is `431`.
    public var maxHeaderFieldLength: Int = 16 * 1024
    /// Longest request head (request line and all header fields), in bytes; longer is `431`.
    /// At most 64 KiB (`headLengthRange`): a head is held whole in one I/O buffer.
    public var maxHeadLength: Int = 64 * 1024
    /// Most header fields in one request; more is `431`.
    public var maxFieldCount: Int = 100
    /// Default for a listener's `maxConnections`: client connections open at once per listener;
    /// further connections wait in the kernel's accept queue.
    public var maxConnectionsPerListener: Int = 10_000
    /// Idle connections each worker keeps pooled per target.
    public var maxIdleConnectionsPerTarget: Int = 32
    /// Targets tried for one request when connecting fails (the first one included): a request
    /// whose connection is refused is sent once more to another target.
    public var targetConnectAttempts: Int = 2

    public init() {}

    /// What `maxHeadLength` may be set to (ALB's own quota is the upper bound).
    public static let headLengthRange = 256...65_536

    /// The file's key for each limit, its range, and the key path that sets it.
    static let fields:
        [(key: String, range: ClosedRange<Int>, path: WritableKeyPath<LimitConfiguration, Int> & Sendable)] = [
            ("maxRequestLineLength", 64...65_536, \.maxRequestLineLength),
            ("maxHeaderFieldLength", 64...65_536, \.maxHeaderFieldLength),
            ("maxHeadLength", headLengthRange, \.maxHeadLength),
            ("maxFieldCount", 1...10_000, \.maxFieldCount),
            ("maxConnectionsPerListener", 1...1_000_000, \.maxConnectionsPerListener),
            ("maxIdleConnectionsPerTarget", 0...10_000, \.maxIdleConnectionsPerTarget),
            ("targetConnectAttempts", 1...5, \.targetConnectAttempts),
        ]
}
