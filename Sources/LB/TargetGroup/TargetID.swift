/// Identifies one registration of a target. Unique for the life of a `TargetRegistry`: the
/// same address registered again after removal gets a new id, so per-target state kept by
/// workers (outstanding requests, ejections) can never be confused between registrations.
public struct TargetID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: TargetID, rhs: TargetID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "target-\(rawValue)" }
}
