/// Who a target is, for statistics: a stable id and the address it is reached at.
///
/// Statistics are kept by `id` (the hub keys a target by its group's name and this id), so a
/// target that leaves a routing snapshot and comes back keeps its figures; `key` is what people
/// read (`"10.0.0.5:80"`) and may change without splitting the target's history.
public struct TargetIdentity: Hashable, Sendable, CustomStringConvertible {
    /// The target's id, unique within its target group (assigned by the target registry).
    public var id: UInt64
    /// The target's address as people read it, e.g. `"10.0.0.5:80"`.
    public var key: String

    public init(id: UInt64, key: String) {
        self.id = id
        self.key = key
    }

    public var description: String { "\(key) (id \(id))" }
}
