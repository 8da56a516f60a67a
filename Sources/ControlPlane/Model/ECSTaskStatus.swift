/// A task's `lastStatus` / `desiredStatus` (ECS task lifecycle), in lifecycle order.
///
/// A reconciler only ever moves `lastStatus` forward in this order (``rank``); `desiredStatus`
/// is `RUNNING` or `STOPPED` (ECS also shows `PENDING` briefly).
public enum ECSTaskStatus: String, Codable, Sendable, CaseIterable {
    case provisioning = "PROVISIONING"
    case pending = "PENDING"
    case activating = "ACTIVATING"
    case running = "RUNNING"
    case deactivating = "DEACTIVATING"
    case stopping = "STOPPING"
    case deprovisioning = "DEPROVISIONING"
    case stopped = "STOPPED"
    case deleted = "DELETED"

    /// Position in the lifecycle; a later state has a higher rank.
    public var rank: Int {
        switch self {
        case .provisioning: 0
        case .pending: 1
        case .activating: 2
        case .running: 3
        case .deactivating: 4
        case .stopping: 5
        case .deprovisioning: 6
        case .stopped: 7
        case .deleted: 8
        }
    }

    /// Whether `lastStatus` may move from this state to `next` (forward only, or staying put).
    public func canMove(to next: ECSTaskStatus) -> Bool { next.rank >= rank }

    /// Whether a task in this `lastStatus` still holds resources on its container instance and
    /// keeps its cluster from being deleted.
    public var holdsResources: Bool { self != .stopped && self != .deleted }
}
