/// A point in time as seconds since the Unix epoch (UTC). The policies never read a clock:
/// every evaluation is given the current instant, so tests drive them with a fake one.
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSinceEpoch: Double

    public init(secondsSinceEpoch: Double) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// This instant moved by `seconds` (negative moves back).
    public func advanced(by seconds: Double) -> Instant {
        Instant(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }

    /// Seconds from `earlier` to this instant.
    public func seconds(since earlier: Instant) -> Double {
        secondsSinceEpoch - earlier.secondsSinceEpoch
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    public var description: String { CivilTime(instant: self).iso8601 }
}
