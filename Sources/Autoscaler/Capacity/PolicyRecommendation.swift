/// What one policy asks of its scalable target at one evaluation.
public enum PolicyRecommendation: Sendable, Equatable {
    /// Raise the desired count to `count`.
    case scaleOut(to: Int, ScalingReason)
    /// Lower the desired count to `count`.
    case scaleIn(to: Int, ScalingReason)
    /// Keep the current count; this policy does not agree to a scale-in now.
    case hold
    /// This policy has nothing to say (a step policy whose alarm is not breached, a
    /// target-tracking policy with scale-in disabled asked about scale-in): it neither asks
    /// for a change nor blocks one.
    case noOpinion
}

/// Which way a change goes.
public enum ScalingDirection: String, Sendable, Hashable {
    case scaleOut = "out"
    case scaleIn = "in"
}

/// Why a policy asked for a change: the alarm it stands for and the value that breached it.
public struct ScalingReason: Sendable, Hashable {
    /// The kind of alarm: `high` (value above the target or threshold) or `low`.
    public enum AlarmSide: String, Sendable, Hashable {
        case high = "AlarmHigh"
        case low = "AlarmLow"
    }

    /// The policy's name.
    public var policyName: String
    /// The metric it watched.
    public var metric: ScalingMetric
    /// Which of the policy's alarms breached.
    public var alarm: AlarmSide
    /// The per-target value that breached (an aggregate over ``evidence``'s window).
    public var observedValue: Double
    /// The target value (target tracking) or the alarm threshold (step scaling).
    public var threshold: Double
    /// How the value was aggregated, in words ("median of the last 3 s").
    public var evidence: String

    public init(policyName: String, metric: ScalingMetric, alarm: AlarmSide, observedValue: Double, threshold: Double, evidence: String) {
        self.policyName = policyName
        self.metric = metric
        self.alarm = alarm
        self.observedValue = observedValue
        self.threshold = threshold
        self.evidence = evidence
    }
}
