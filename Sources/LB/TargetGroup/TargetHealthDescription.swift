/// The health of one registered target, as ELBv2's `DescribeTargetHealth` reports it, plus
/// what Wharf keeps beyond ALB: the time of the last state change and the recent checks.
public struct TargetHealthDescription: Sendable, Equatable {
    public var id: TargetID
    public var targetGroup: String
    /// The target's address as registered (`Target.Id` for an `ip` target group).
    public var address: String
    public var port: Int
    /// The port health checks go to (`HealthCheckPort`).
    public var healthCheckPort: Int
    public var weight: Int
    public var state: TargetHealthState
    /// ALB's reason code; nil when healthy.
    public var reason: TargetHealthReason?
    /// ALB's description, e.g. "Health checks failed with these codes: [502]"; nil when healthy.
    public var description: String?
    /// When the state last changed (monotonic seconds).
    public var lastStateChange: Double
    /// The last checks, oldest first.
    public var history: [HealthCheckRecord]
    /// When a draining target will be removed.
    public var drainingUntil: Double?
    /// When the target entered slow start, while it is ramping.
    public var slowStartSince: Double?
}
