import GRDB

/// One deployment of a service (ECS `Deployment`); deleted with its service row.
public struct DeploymentRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "deployment"

    /// `ecs-svc/` followed by 19 digits, as ECS names deployments.
    public var id: String
    public var serviceArn: String
    public var status: ECSDeploymentStatus
    public var taskDefinitionArn: String
    public var desiredCount: Int
    public var rolloutState: ECSDeploymentRolloutState?
    public var rolloutStateReason: String?
    /// Seconds since the epoch.
    public var createdAt: Double
    public var updatedAt: Double
    /// The rest of ECS's `Deployment` as JSON text.
    public var document: String

    public init(
        id: String, serviceArn: String, status: ECSDeploymentStatus, taskDefinitionArn: String, desiredCount: Int,
        rolloutState: ECSDeploymentRolloutState? = nil, rolloutStateReason: String? = nil,
        createdAt: Double, updatedAt: Double, document: String = "{}"
    ) {
        self.id = id
        self.serviceArn = serviceArn
        self.status = status
        self.taskDefinitionArn = taskDefinitionArn
        self.desiredCount = desiredCount
        self.rolloutState = rolloutState
        self.rolloutStateReason = rolloutStateReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.document = document
    }
}

/// One entry of a service's `events` (newest first when described); deleted with its service.
public struct ServiceEventRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "serviceEvent"

    /// ECS event ids are UUIDs.
    public var id: String
    public var serviceArn: String
    /// Seconds since the epoch.
    public var createdAt: Double
    public var message: String

    public init(id: String, serviceArn: String, createdAt: Double, message: String) {
        self.id = id
        self.serviceArn = serviceArn
        self.createdAt = createdAt
        self.message = message
    }

    /// ECS returns at most this many events with a service.
    public static let describeLimit = 100

    /// The newest ``describeLimit`` events of `serviceArn`, newest first.
    public static func recent(_ db: Database, serviceArn: String) throws -> [ServiceEventRecord] {
        try filter(Column("serviceArn") == serviceArn)
            .order(Column("createdAt").desc, Column("id"))
            .limit(describeLimit)
            .fetchAll(db)
    }
}
