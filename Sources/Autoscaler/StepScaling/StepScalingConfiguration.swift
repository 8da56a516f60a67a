/// A step-scaling policy (AWS's `StepScalingPolicyConfiguration`) plus the alarm that drives it.
public struct StepScalingConfiguration: Sendable, Hashable {
    public var adjustmentType: AdjustmentType
    public var stepAdjustments: [StepAdjustment]
    /// For ``AdjustmentType/percentChangeInCapacity``: the smallest change, in tasks.
    public var minAdjustmentMagnitude: Int?
    /// Seconds after this policy changed capacity before it acts again.
    public var cooldownSeconds: Double
    public var metricAggregationType: MetricAggregationType
    /// The alarm; without one the policy never triggers (as an AWS policy no alarm points at).
    public var alarm: StepScalingAlarm?

    /// AWS's default cooldown when none is given.
    public static let defaultCooldownSeconds = 300.0

    public init(
        adjustmentType: AdjustmentType, stepAdjustments: [StepAdjustment], minAdjustmentMagnitude: Int? = nil,
        cooldownSeconds: Double = defaultCooldownSeconds, metricAggregationType: MetricAggregationType = .average,
        alarm: StepScalingAlarm? = nil
    ) {
        self.adjustmentType = adjustmentType
        self.stepAdjustments = stepAdjustments
        self.minAdjustmentMagnitude = minAdjustmentMagnitude
        self.cooldownSeconds = max(0, cooldownSeconds)
        self.metricAggregationType = metricAggregationType
        self.alarm = alarm
    }

    /// Checks the steps as AWS does: at least one; at most one without a lower bound and at
    /// most one without an upper bound; each upper bound above its lower bound; ranges that
    /// neither overlap nor leave gaps; MinAdjustmentMagnitude only with percentages and
    /// positive.
    public func validate() throws(StepScalingValidationError) {
        guard !stepAdjustments.isEmpty else { throw .noStepAdjustments }
        if let minAdjustmentMagnitude {
            guard adjustmentType == .percentChangeInCapacity else { throw .minAdjustmentMagnitudeWithoutPercent }
            guard minAdjustmentMagnitude > 0 else { throw .minAdjustmentMagnitudeNotPositive(minAdjustmentMagnitude) }
        }
        if adjustmentType == .exactCapacity, let negative = stepAdjustments.first(where: { $0.scalingAdjustment < 0 }) {
            throw .negativeExactCapacity(negative.scalingAdjustment)
        }
        guard stepAdjustments.filter({ $0.lowerBound == nil }).count <= 1 else { throw .multipleUnboundedLower }
        guard stepAdjustments.filter({ $0.upperBound == nil }).count <= 1 else { throw .multipleUnboundedUpper }
        for step in stepAdjustments {
            if let lower = step.lowerBound, let upper = step.upperBound, upper <= lower {
                throw .emptyRange(lower: lower, upper: upper)
            }
        }
        let ordered = stepAdjustments.sorted { ($0.lowerBound ?? -.infinity) < ($1.lowerBound ?? -.infinity) }
        for (lower, upper) in zip(ordered, ordered.dropFirst()) {
            guard let end = lower.upperBound, let start = upper.lowerBound else {
                throw .overlap(lower.upperBound ?? upper.lowerBound ?? 0)
            }
            if end > start { throw .overlap(start) }
            if end < start { throw .gap(from: end, to: start) }
        }
    }

    /// The step whose range holds `difference` (value minus threshold), if any.
    func step(for difference: Double) -> StepAdjustment? {
        stepAdjustments.first { $0.contains(difference) }
    }

    /// The count after applying `step` to `current`, by the adjustment type, with AWS's
    /// rounding of percentages (between 0 and 1 is 1, between -1 and 0 is -1, otherwise
    /// towards zero) and MinAdjustmentMagnitude.
    func newCapacity(applying step: StepAdjustment, to current: Int) -> Int {
        switch adjustmentType {
        case .changeInCapacity:
            return max(0, current + step.scalingAdjustment)
        case .exactCapacity:
            return max(0, step.scalingAdjustment)
        case .percentChangeInCapacity:
            let exact = Double(current) * Double(step.scalingAdjustment) / 100
            var change: Int
            if exact > 0 && exact < 1 { change = 1 }
            else if exact < 0 && exact > -1 { change = -1 }
            else { change = Int(exact.rounded(.towardZero)) }
            if let minimum = minAdjustmentMagnitude, change != 0, abs(change) < minimum {
                change = change > 0 ? minimum : -minimum
            }
            return max(0, current + change)
        }
    }
}

/// Why a step-scaling configuration is refused.
public enum StepScalingValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    case noStepAdjustments
    case multipleUnboundedLower
    case multipleUnboundedUpper
    case emptyRange(lower: Double, upper: Double)
    case overlap(Double)
    case gap(from: Double, to: Double)
    case minAdjustmentMagnitudeWithoutPercent
    case minAdjustmentMagnitudeNotPositive(Int)
    case negativeExactCapacity(Int)

    public var description: String {
        switch self {
        case .noStepAdjustments:
            return "StepScalingPolicyConfiguration must have at least one StepAdjustment"
        case .multipleUnboundedLower:
            return "Only one StepAdjustment may have a null MetricIntervalLowerBound"
        case .multipleUnboundedUpper:
            return "Only one StepAdjustment may have a null MetricIntervalUpperBound"
        case .emptyRange(let lower, let upper):
            return "MetricIntervalUpperBound \(upper) must be greater than MetricIntervalLowerBound \(lower)"
        case .overlap(let at):
            return "Step adjustments must not overlap (at \(at))"
        case .gap(let from, let to):
            return "Step adjustments must not have gaps (between \(from) and \(to))"
        case .minAdjustmentMagnitudeWithoutPercent:
            return "MinAdjustmentMagnitude is only allowed with AdjustmentType PercentChangeInCapacity"
        case .minAdjustmentMagnitudeNotPositive(let value):
            return "MinAdjustmentMagnitude must be greater than 0, got \(value)"
        case .negativeExactCapacity(let value):
            return "ScalingAdjustment must not be negative with AdjustmentType ExactCapacity, got \(value)"
        }
    }
}
