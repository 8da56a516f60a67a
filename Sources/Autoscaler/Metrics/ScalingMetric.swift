/// A metric a policy scales on, and how one second's raw reading of it becomes the value the
/// policy compares with its target.
///
/// Raw readings are what the load balancer and the cgroups measure over one second; the
/// per-target value is what AWS's metric of the same name means:
///
/// | metric | raw reading | per-target value |
/// | --- | --- | --- |
/// | ``requestCountPerTarget(resourceLabel:)`` | requests/s, whole target group | requests per healthy target per **minute** (AWS's `ALBRequestCountPerTarget`) |
/// | ``averageCPUUtilization`` | percent, averaged over the tasks | the same |
/// | ``averageMemoryUtilization`` | percent, averaged over the tasks | the same |
/// | ``targetResponseTime(resourceLabel:)`` | seconds, mean over the second | the same |
/// | ``activeConnectionsPerTarget(resourceLabel:)`` | open connections, whole target group | connections per healthy target |
public enum ScalingMetric: Sendable, Hashable, CustomStringConvertible {
    /// Requests through the target group named by an ALB resource label
    /// (`app/<lb>/<id>/targetgroup/<tg>/<id>`).
    case requestCountPerTarget(resourceLabel: String)
    /// The service's average CPU utilization (percent of its tasks' CPU reservation).
    case averageCPUUtilization
    /// The service's average memory utilization (percent of its tasks' memory reservation).
    case averageMemoryUtilization
    /// The target group's mean response time (a Wharf metric).
    case targetResponseTime(resourceLabel: String)
    /// Connections open to the target group's targets (a Wharf metric).
    case activeConnectionsPerTarget(resourceLabel: String)

    /// Seconds in the unit `ALBRequestCountPerTarget` is counted per.
    static let requestCountPeriodSeconds = 60.0

    /// Whether the raw reading is a total over the target group that healthy targets share
    /// (so the capacity needed follows from the total alone).
    var isSharedTotal: Bool {
        switch self {
        case .requestCountPerTarget, .activeConnectionsPerTarget: return true
        case .averageCPUUtilization, .averageMemoryUtilization, .targetResponseTime: return false
        }
    }

    /// The per-target value of a raw reading taken while `healthy` targets carried the load;
    /// nil for an average over no tasks.
    public func perTargetValue(raw: Double, healthy: Int) -> Double? {
        switch self {
        case .requestCountPerTarget:
            return raw * Self.requestCountPeriodSeconds / Double(max(healthy, 1))
        case .activeConnectionsPerTarget:
            return raw / Double(max(healthy, 1))
        case .averageCPUUtilization, .averageMemoryUtilization, .targetResponseTime:
            return healthy > 0 ? raw : nil
        }
    }

    /// The capacity (a fractional task count) that would bring the per-target value to
    /// `targetValue`: `healthy x value / target` (AWS's proportional rule), which for shared
    /// totals is `total / target` whatever `healthy` is. Nil when it cannot be known (an
    /// average over no tasks, or a target that is not positive).
    public func requiredCapacity(raw: Double, healthy: Int, targetValue: Double) -> Double? {
        guard targetValue > 0, raw.isFinite, raw >= 0 else { return nil }
        switch self {
        case .requestCountPerTarget:
            return raw * Self.requestCountPeriodSeconds / targetValue
        case .activeConnectionsPerTarget:
            return raw / targetValue
        case .averageCPUUtilization, .averageMemoryUtilization, .targetResponseTime:
            guard healthy > 0 else { return nil }
            return Double(healthy) * raw / targetValue
        }
    }

    public var description: String {
        switch self {
        case .requestCountPerTarget(let label): return "ALBRequestCountPerTarget(\(label))"
        case .averageCPUUtilization: return "ECSServiceAverageCPUUtilization"
        case .averageMemoryUtilization: return "ECSServiceAverageMemoryUtilization"
        case .targetResponseTime(let label): return "TargetResponseTime(\(label))"
        case .activeConnectionsPerTarget(let label): return "ActiveConnectionCount(\(label))"
        }
    }
}
