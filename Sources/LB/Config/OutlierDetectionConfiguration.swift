/// Passive health checking: targets that fail real requests are taken out of rotation for a
/// while without waiting for an active check. Modelled on Envoy's outlier detection
/// (`consecutive_5xx`, `consecutive_gateway_failure`, `base_ejection_time`,
/// `max_ejection_time`, `max_ejection_percent`).
public struct OutlierDetectionConfiguration: Sendable, Equatable {
    public var enabled = true
    /// Consecutive 5xx responses (gateway failures included) that eject a target; 0 turns this
    /// detector off.
    public var consecutive5xx = 5
    /// Consecutive gateway failures (502, 503, 504, connection refused/reset, timeout) that
    /// eject a target; 0 turns this detector off.
    public var consecutiveGatewayFailures = 3
    /// Ejection time of a first ejection; the n-th consecutive ejection lasts n times as long.
    public var baseEjectionSeconds: Double = 30
    /// The longest an ejection lasts, however often the target was ejected.
    public var maxEjectionSeconds: Double = 300
    /// At most this percentage of a group's targets is ejected at once (but one target may
    /// always be ejected when the group has more than one).
    public var maxEjectionPercent = 50

    public static let countRange: ClosedRange<Int> = 0...1000
    public static let ejectionSecondsRange: ClosedRange<Double> = 0.001...86_400
    public static let percentRange: ClosedRange<Int> = 0...100

    public init() {}
}
