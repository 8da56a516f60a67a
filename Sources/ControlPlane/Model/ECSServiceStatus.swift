/// A service's `status`: `ACTIVE` -> `DRAINING` (DeleteService) -> `INACTIVE` (its tasks are gone).
public enum ECSServiceStatus: String, Codable, Sendable, CaseIterable {
    case active = "ACTIVE"
    case draining = "DRAINING"
    case inactive = "INACTIVE"

    /// Whether the service may move from this status to `next`.
    public func canMove(to next: ECSServiceStatus) -> Bool {
        switch (self, next) {
        case (.active, .draining), (.draining, .inactive), (.active, .inactive): true
        default: self == next
        }
    }
}

/// A deployment's `status`: the newest is `PRIMARY`, older ones still running tasks are
/// `ACTIVE`, finished ones `INACTIVE`.
public enum ECSDeploymentStatus: String, Codable, Sendable, CaseIterable {
    case primary = "PRIMARY"
    case active = "ACTIVE"
    case inactive = "INACTIVE"
}

/// A deployment's `rolloutState`.
public enum ECSDeploymentRolloutState: String, Codable, Sendable, CaseIterable {
    case completed = "COMPLETED"
    case failed = "FAILED"
    case inProgress = "IN_PROGRESS"
}
