/// Which kinds of scaling are suspended on a scalable target (AWS's `SuspendedState`).
public struct ScalingSuspension: Sendable, Hashable {
    /// Policies may not scale in.
    public var dynamicScalingIn: Bool
    /// Policies may not scale out.
    public var dynamicScalingOut: Bool
    /// Scheduled actions do not run.
    public var scheduledScaling: Bool

    public init(dynamicScalingIn: Bool = false, dynamicScalingOut: Bool = false, scheduledScaling: Bool = false) {
        self.dynamicScalingIn = dynamicScalingIn
        self.dynamicScalingOut = dynamicScalingOut
        self.scheduledScaling = scheduledScaling
    }

    /// Nothing suspended.
    public static let none = ScalingSuspension()
}
