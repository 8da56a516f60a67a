/// A target as workers see it in a `RoutingTable`: where to connect, its weight, and the
/// routing-relevant part of its health.
public struct RouteTarget: Sendable, Equatable {
    /// Stable across snapshots for the life of the registration.
    public let id: TargetID
    /// The parsed address to connect to (`withSocketAddress` gives the `sockaddr`).
    public let endpoint: TargetEndpoint
    /// The address as registered, e.g. `10.0.0.7` (for logs and headers).
    public let host: String
    public let port: Int
    /// 0-999; 0 sends the target nothing.
    public let weight: Int
    public let state: TargetHealthState
    /// When the target entered slow start (monotonic seconds); nil when it is not ramping.
    public let slowStartSince: Double?

    public init(
        id: TargetID, endpoint: TargetEndpoint, host: String, port: Int, weight: Int, state: TargetHealthState,
        slowStartSince: Double?
    ) {
        self.id = id
        self.endpoint = endpoint
        self.host = host
        self.port = port
        self.weight = weight
        self.state = state
        self.slowStartSince = slowStartSince
    }

    /// Gets requests in normal operation (healthy, or checks disabled).
    @inline(__always)
    public var receivesTraffic: Bool { state.receivesTraffic }

    /// Gets requests when the group fails open (anything but draining).
    @inline(__always)
    public var receivesFailOpenTraffic: Bool { state.receivesFailOpenTraffic }
}
