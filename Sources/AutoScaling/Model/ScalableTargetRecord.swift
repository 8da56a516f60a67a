import Autoscaler

/// A registered scalable target as stored (one per ECS service: Wharf scales only
/// `ecs:service:DesiredCount`).
public struct ScalableTargetRecord: Codable, Sendable, Hashable {
    public var resourceID: String
    public var arn: String
    public var minCapacity: Int
    public var maxCapacity: Int
    public var roleARN: String
    public var dynamicScalingInSuspended: Bool
    public var dynamicScalingOutSuspended: Bool
    public var scheduledScalingSuspended: Bool
    /// Seconds since the epoch.
    public var creationTime: Double
    /// The region the target was registered in (its ARNs name it).
    public var region: String

    /// The service this target scales.
    public var service: ECSServiceReference? { ECSServiceReference(resourceID: resourceID) }

    public var bounds: CapacityBounds { CapacityBounds(minimum: minCapacity, maximum: maxCapacity) }

    public var suspension: ScalingSuspension {
        ScalingSuspension(
            dynamicScalingIn: dynamicScalingInSuspended, dynamicScalingOut: dynamicScalingOutSuspended,
            scheduledScaling: scheduledScalingSuspended)
    }
}
