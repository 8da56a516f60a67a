/// A task definition revision's `status` and the moves between them:
/// `ACTIVE` -> `INACTIVE` (DeregisterTaskDefinition) -> `DELETE_IN_PROGRESS` (DeleteTaskDefinitions),
/// after which the row is removed once no task or service references it.
public enum ECSTaskDefinitionStatus: String, Codable, Sendable, CaseIterable {
    case active = "ACTIVE"
    case inactive = "INACTIVE"
    case deleteInProgress = "DELETE_IN_PROGRESS"

    /// Whether a revision in this state may be moved to `next`. Deregistering an INACTIVE revision
    /// again is allowed (it changes nothing).
    public func canMove(to next: ECSTaskDefinitionStatus) -> Bool {
        switch (self, next) {
        case (.active, .inactive), (.inactive, .inactive), (.inactive, .deleteInProgress): true
        default: false
        }
    }

    /// Whether new tasks and services may use a revision in this state (ECS: only ACTIVE ones).
    public var acceptsNewWork: Bool { self == .active }
}
