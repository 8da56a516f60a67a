import GRDB

/// A task row: the columns the control plane filters, counts and reconciles on, and `document`
/// (JSON text) for the rest of ECS's `Task` (containers, overrides, attachments, ...), whose
/// shape the RunTask implementation owns.
///
/// Resource accounting: a task whose `lastStatus` holds resources (``ECSTaskStatus/holdsResources``)
/// and has a `containerInstanceId` subtracts `reservedCPU`, `reservedMemory`, `reservedPorts` and
/// `reservedUDPPorts` from that instance's remaining resources.
public struct TaskRecord: Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "task"

    /// The 32-hex-digit ID at the end of the ARN; the runtime's task id.
    public var id: String
    public var arn: String
    public var clusterName: String
    public var taskDefinitionArn: String
    public var containerInstanceId: String?
    public var launchType: ECSLaunchType
    /// The owning service's ARN, for service tasks.
    public var serviceArn: String?
    public var startedBy: String?
    public var group: String?
    public var desiredStatus: ECSTaskStatus
    public var lastStatus: ECSTaskStatus
    /// CPU units reserved on the container instance.
    public var reservedCPU: Int
    /// MiB reserved on the container instance.
    public var reservedMemory: Int
    /// Host TCP ports taken on the container instance.
    public var reservedPorts: [Int]
    /// Host UDP ports taken on the container instance.
    public var reservedUDPPorts: [Int]
    /// Seconds since the epoch.
    public var createdAt: Double
    public var startedAt: Double?
    public var stoppingAt: Double?
    public var stoppedAt: Double?
    public var stopCode: String?
    public var stoppedReason: String?
    /// ECS's change counter, incremented on every state change.
    public var version: Int
    /// The rest of the ECS `Task` as JSON text (`"{}"` when nothing more is known).
    public var document: String

    public init(
        id: String, arn: String, clusterName: String, taskDefinitionArn: String, containerInstanceId: String? = nil,
        launchType: ECSLaunchType = .ec2, serviceArn: String? = nil, startedBy: String? = nil, group: String? = nil,
        desiredStatus: ECSTaskStatus = .running, lastStatus: ECSTaskStatus = .provisioning,
        reservedCPU: Int = 0, reservedMemory: Int = 0, reservedPorts: [Int] = [], reservedUDPPorts: [Int] = [],
        createdAt: Double, startedAt: Double? = nil, stoppingAt: Double? = nil, stoppedAt: Double? = nil,
        stopCode: String? = nil, stoppedReason: String? = nil, version: Int = 1, document: String = "{}"
    ) {
        self.id = id
        self.arn = arn
        self.clusterName = clusterName
        self.taskDefinitionArn = taskDefinitionArn
        self.containerInstanceId = containerInstanceId
        self.launchType = launchType
        self.serviceArn = serviceArn
        self.startedBy = startedBy
        self.group = group
        self.desiredStatus = desiredStatus
        self.lastStatus = lastStatus
        self.reservedCPU = reservedCPU
        self.reservedMemory = reservedMemory
        self.reservedPorts = reservedPorts
        self.reservedUDPPorts = reservedUDPPorts
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.stoppingAt = stoppingAt
        self.stoppedAt = stoppedAt
        self.stopCode = stopCode
        self.stoppedReason = stoppedReason
        self.version = version
        self.document = document
    }

    /// The `lastStatus` values that hold resources, as stored strings (for SQL `IN` lists).
    static var resourceHoldingStatuses: [String] {
        ECSTaskStatus.allCases.filter(\.holdsResources).map(\.rawValue)
    }

    /// Tasks whose `lastStatus` differs from their `desiredStatus` (what a reconciler must drive).
    public static func unsettled(_ db: Database) throws -> [TaskRecord] {
        try fetchAll(db, sql: """
            SELECT * FROM task
            WHERE (desiredStatus = ? AND lastStatus != ?) OR (desiredStatus = ? AND lastStatus NOT IN (?, ?))
            ORDER BY createdAt
            """, arguments: [ECSTaskStatus.running, ECSTaskStatus.running,
                             ECSTaskStatus.stopped, ECSTaskStatus.stopped, ECSTaskStatus.deleted])
    }
}
