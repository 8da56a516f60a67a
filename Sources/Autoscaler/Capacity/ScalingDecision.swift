/// A change of a scalable target's desired count decided at one evaluation.
public struct ScalingDecision: Sendable, Hashable {
    /// Why the count changes.
    public enum Cause: Sendable, Hashable {
        /// One or more policies asked (scale-out: the policies that asked for the chosen
        /// count; scale-in: every policy that agreed).
        case policies([ScalingReason])
        /// The count was below the minimum capacity.
        case belowMinimum(Int)
        /// The count was above the maximum capacity.
        case aboveMaximum(Int)
    }

    /// The desired count before the change.
    public var previousDesired: Int
    /// The desired count to set.
    public var newDesired: Int
    /// Why.
    public var cause: Cause

    public init(previousDesired: Int, newDesired: Int, cause: Cause) {
        self.previousDesired = previousDesired
        self.newDesired = newDesired
        self.cause = cause
    }

    /// Out when the count grows, in when it shrinks.
    public var direction: ScalingDirection { newDesired > previousDesired ? .scaleOut : .scaleIn }
}
