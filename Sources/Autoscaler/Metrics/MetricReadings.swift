/// One second's raw readings of the metrics a scalable target's policies use (see
/// ``ScalingMetric`` for the unit of each). A metric with no reading that second is absent,
/// and policies on it skip the second.
public struct MetricReadings: Sendable, Hashable {
    public var values: [ScalingMetric: Double]

    public init(_ values: [ScalingMetric: Double] = [:]) {
        self.values = values
    }

    public subscript(metric: ScalingMetric) -> Double? {
        get { values[metric] }
        set { values[metric] = newValue }
    }
}
