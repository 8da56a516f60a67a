/// The health state of a registered target, with ALB's names (`TargetHealth.State`).
public enum TargetHealthState: String, Sendable, Equatable, CaseIterable {
    /// Registered; the first health check has not passed yet.
    case initial
    /// Passing health checks; receives traffic.
    case healthy
    /// Failed `unhealthyThresholdCount` consecutive checks; receives traffic only when the
    /// group fails open.
    case unhealthy
    /// Registered in a target group that no listener uses; not checked.
    case unused
    /// Deregistered; finishing in-flight requests, receives no new ones.
    case draining
    /// Health checks are disabled for the group; receives traffic.
    case unavailable

    /// Whether a target in this state gets requests in normal operation. ALB routes to healthy
    /// targets, and to every target of a group whose health checks are disabled.
    public var receivesTraffic: Bool {
        self == .healthy || self == .unavailable
    }

    /// Whether a target in this state gets requests when no target of its group is routable
    /// (ALB's fail-open). Draining targets never get new requests.
    public var receivesFailOpenTraffic: Bool {
        self != .draining
    }
}
