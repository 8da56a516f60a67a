/// One step of a step-scaling policy: when the breaching value minus the alarm threshold falls
/// between the bounds, change capacity by ``scalingAdjustment``.
///
/// As AWS defines them, bounds are offsets from the threshold; a missing lower bound is
/// negative infinity and a missing upper bound positive infinity. Above the threshold the
/// lower bound is inclusive and the upper exclusive; below it, the reverse.
public struct StepAdjustment: Sendable, Hashable {
    public var lowerBound: Double?
    public var upperBound: Double?
    /// Tasks to add or remove, the exact count, or a percentage (by the policy's
    /// ``AdjustmentType``).
    public var scalingAdjustment: Int

    public init(lowerBound: Double?, upperBound: Double?, scalingAdjustment: Int) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.scalingAdjustment = scalingAdjustment
    }

    /// Whether `difference` (value minus threshold) falls in this step.
    func contains(_ difference: Double) -> Bool {
        let aboveThreshold = difference >= 0
        if let lowerBound {
            if aboveThreshold ? difference < lowerBound : difference <= lowerBound { return false }
        }
        if let upperBound {
            if aboveThreshold ? difference >= upperBound : difference > upperBound { return false }
        }
        return true
    }
}

/// How a step's ``StepAdjustment/scalingAdjustment`` is applied.
public enum AdjustmentType: String, Sendable, Hashable, CaseIterable {
    /// Add (or, negative, remove) that many tasks.
    case changeInCapacity = "ChangeInCapacity"
    /// Set the count to exactly that.
    case exactCapacity = "ExactCapacity"
    /// Add (or remove) that percentage of the current count.
    case percentChangeInCapacity = "PercentChangeInCapacity"
}

/// How an alarm aggregates the per-second values of its evaluation window.
public enum MetricAggregationType: String, Sendable, Hashable, CaseIterable {
    case average = "Average"
    case minimum = "Minimum"
    case maximum = "Maximum"

    func aggregate(_ values: [Double]) -> Double? {
        switch self {
        case .average: return values.mean
        case .minimum: return values.min()
        case .maximum: return values.max()
        }
    }
}
