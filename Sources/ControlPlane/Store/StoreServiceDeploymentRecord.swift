import GRDB

/// One service revision (ECS `ServiceRevision`): what a deployment of the service launches its
/// tasks with. One is made with every ECS `Deployment` and shares its digits
/// (`ecs-svc/NNN` runs revision `NNN`); it stays after the deployment is gone, until the
/// service row goes.
public struct ServiceRevisionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "serviceRevision"

    /// The 19 digits of the deployment that made it.
    public var id: String
    public var serviceArn: String
    /// Seconds since the epoch.
    public var createdAt: Double
    /// The rest of ECS's `ServiceRevision` as JSON text (``ServiceRevisionDocument``).
    public var document: String

    public init(id: String, serviceArn: String, createdAt: Double, document: String) {
        self.id = id
        self.serviceArn = serviceArn
        self.createdAt = createdAt
        self.document = document
    }
}

/// One service deployment (ECS `ServiceDeployment`): a rollout from the revisions a service
/// ran to a target revision, with its outcome. Kept after the rollout ends, until the
/// service row goes.
public struct ServiceDeploymentRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "serviceDeployment"

    /// 21 letters and digits, as ECS names service deployments.
    public var id: String
    public var serviceArn: String
    public var status: ECSServiceDeploymentStatus
    public var targetRevisionId: String
    /// Seconds since the epoch.
    public var createdAt: Double
    public var updatedAt: Double
    /// The rest of ECS's `ServiceDeployment` as JSON text (``ServiceDeploymentDocument``).
    public var document: String

    public init(id: String, serviceArn: String, status: ECSServiceDeploymentStatus, targetRevisionId: String,
                createdAt: Double, updatedAt: Double, document: String) {
        self.id = id
        self.serviceArn = serviceArn
        self.status = status
        self.targetRevisionId = targetRevisionId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.document = document
    }
}

/// A service deployment's `status`.
public enum ECSServiceDeploymentStatus: String, Codable, Sendable, CaseIterable {
    case pending = "PENDING"
    case successful = "SUCCESSFUL"
    case stopped = "STOPPED"
    case stopRequested = "STOP_REQUESTED"
    case inProgress = "IN_PROGRESS"
    case rollbackRequested = "ROLLBACK_REQUESTED"
    case rollbackInProgress = "ROLLBACK_IN_PROGRESS"
    case rollbackSuccessful = "ROLLBACK_SUCCESSFUL"
    case rollbackFailed = "ROLLBACK_FAILED"

    /// Whether the rollout is still going (it may still change).
    public var isOngoing: Bool {
        switch self {
        case .pending, .inProgress, .stopRequested, .rollbackRequested, .rollbackInProgress: true
        case .successful, .stopped, .rollbackSuccessful, .rollbackFailed: false
        }
    }
}
