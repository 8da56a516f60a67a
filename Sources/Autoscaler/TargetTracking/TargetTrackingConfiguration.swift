/// A target-tracking policy: keep ``metric`` at ``targetValue`` per target.
public struct TargetTrackingConfiguration: Sendable, Hashable {
    /// What is tracked.
    public var metric: ScalingMetric
    /// The per-target value to hold (for `ALBRequestCountPerTarget`: requests per target per
    /// minute). Positive.
    public var targetValue: Double
    /// Seconds after a scale-out by this policy before it scales out again.
    public var scaleOutCooldownSeconds: Double
    /// Seconds after a scale-in by this policy before it scales in again.
    public var scaleInCooldownSeconds: Double
    /// When true the policy never asks for a scale-in (and does not block others' scale-in).
    public var disableScaleIn: Bool
    /// Reaction speed and caution.
    public var tuning: TargetTrackingTuning

    public init(
        metric: ScalingMetric, targetValue: Double, scaleOutCooldownSeconds: Double = 0, scaleInCooldownSeconds: Double = 0,
        disableScaleIn: Bool = false, tuning: TargetTrackingTuning = .standard
    ) {
        self.metric = metric
        self.targetValue = targetValue
        self.scaleOutCooldownSeconds = max(0, scaleOutCooldownSeconds)
        self.scaleInCooldownSeconds = max(0, scaleInCooldownSeconds)
        self.disableScaleIn = disableScaleIn
        self.tuning = tuning
    }
}
