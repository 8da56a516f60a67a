import GRDB

/// A service row. `document` (JSON text) holds the rest of ECS's `Service` (load balancers,
/// deployment configuration, placement, network configuration, ...), owned by the CreateService
/// implementation. A service re-created under the name of an INACTIVE one replaces its row
/// (same ARN, as in ECS).
public struct ServiceRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "service"

    public var arn: String
    public var clusterName: String
    public var name: String
    public var status: ECSServiceStatus
    public var desiredCount: Int
    public var launchType: ECSLaunchType?
    /// `REPLICA` or `DAEMON`.
    public var schedulingStrategy: String
    public var taskDefinitionArn: String
    /// Seconds since the epoch.
    public var createdAt: Double
    public var updatedAt: Double
    /// Change counter (incremented on every update), for optimistic concurrency between the API
    /// and the service controller.
    public var version: Int
    public var document: String

    public init(
        arn: String, clusterName: String, name: String, status: ECSServiceStatus = .active, desiredCount: Int,
        launchType: ECSLaunchType? = .ec2, schedulingStrategy: String = "REPLICA", taskDefinitionArn: String,
        createdAt: Double, updatedAt: Double, version: Int = 1, document: String = "{}"
    ) {
        self.arn = arn
        self.clusterName = clusterName
        self.name = name
        self.status = status
        self.desiredCount = desiredCount
        self.launchType = launchType
        self.schedulingStrategy = schedulingStrategy
        self.taskDefinitionArn = taskDefinitionArn
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        self.document = document
    }
}
