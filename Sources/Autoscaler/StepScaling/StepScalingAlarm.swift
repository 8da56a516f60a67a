/// The alarm that triggers a step-scaling policy (in AWS a CloudWatch alarm whose action is
/// the policy; Wharf has no CloudWatch, so the alarm is part of the policy's configuration).
public struct StepScalingAlarm: Sendable, Hashable {
    /// How the aggregated value is compared with the threshold.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case greaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold"
        case greaterThanThreshold = "GreaterThanThreshold"
        case lessThanThreshold = "LessThanThreshold"
        case lessThanOrEqualToThreshold = "LessThanOrEqualToThreshold"

        func breaches(_ value: Double, _ threshold: Double) -> Bool {
            switch self {
            case .greaterThanOrEqualToThreshold: return value >= threshold
            case .greaterThanThreshold: return value > threshold
            case .lessThanThreshold: return value < threshold
            case .lessThanOrEqualToThreshold: return value <= threshold
            }
        }

        /// Whether breaching means the value is high.
        var isHigh: Bool { self == .greaterThanThreshold || self == .greaterThanOrEqualToThreshold }
    }

    /// The metric watched (its per-target value is compared).
    public var metric: ScalingMetric
    public var comparison: Comparison
    public var threshold: Double
    /// Seconds of readings aggregated per evaluation.
    public var evaluationSeconds: Int

    /// Default evaluation window: long enough that one noisy second does not breach.
    public static let defaultEvaluationSeconds = 5

    public init(metric: ScalingMetric, comparison: Comparison, threshold: Double, evaluationSeconds: Int = defaultEvaluationSeconds) {
        self.metric = metric
        self.comparison = comparison
        self.threshold = threshold
        self.evaluationSeconds = max(1, evaluationSeconds)
    }
}
