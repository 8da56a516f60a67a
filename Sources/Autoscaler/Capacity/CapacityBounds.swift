/// The minimum and maximum capacity a scalable target may be scaled to (both inclusive).
public struct CapacityBounds: Sendable, Hashable {
    public var minimum: Int
    public var maximum: Int

    /// `minimum` must not exceed `maximum` (the API validates this before building bounds).
    public init(minimum: Int, maximum: Int) {
        self.minimum = minimum
        self.maximum = max(minimum, maximum)
    }

    /// `count` brought inside the bounds.
    public func clamp(_ count: Int) -> Int {
        Swift.min(maximum, Swift.max(minimum, count))
    }
}
