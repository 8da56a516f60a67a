/// One ECS task: its state, address, health and how it ended.
public struct DashboardTask: Sendable, Equatable, Codable {
    public var cluster: String
    /// The task id (last part of the ARN).
    public var id: String
    /// The service that started it (`group` without `service:`), nil for a standalone task.
    public var service: String?
    public var taskDefinition: String
    /// `PROVISIONING`, `PENDING`, `RUNNING`, `STOPPED`, ...
    public var lastStatus: String
    public var desiredStatus: String
    /// `HEALTHY`, `UNHEALTHY` or `UNKNOWN`.
    public var healthStatus: String
    /// The task's private address, once it has one.
    public var ipAddress: String?
    /// Unix seconds; the page shows the uptime from it.
    public var startedAt: Double?
    public var stoppedAt: Double?
    public var stoppedReason: String?
    /// `TaskFailedToStart`, `EssentialContainerExited`, `UserInitiated`, ...
    public var stopCode: String?
    public var containers: [DashboardContainer]

    public init(
        cluster: String, id: String, service: String? = nil, taskDefinition: String, lastStatus: String,
        desiredStatus: String, healthStatus: String = "UNKNOWN", ipAddress: String? = nil, startedAt: Double? = nil,
        stoppedAt: Double? = nil, stoppedReason: String? = nil, stopCode: String? = nil, containers: [DashboardContainer] = []
    ) {
        self.cluster = cluster
        self.id = id
        self.service = service
        self.taskDefinition = taskDefinition
        self.lastStatus = lastStatus
        self.desiredStatus = desiredStatus
        self.healthStatus = healthStatus
        self.ipAddress = ipAddress
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
        self.stoppedReason = stoppedReason
        self.stopCode = stopCode
        self.containers = containers
    }
}

/// One container of a task.
public struct DashboardContainer: Sendable, Equatable, Codable {
    public var name: String
    public var lastStatus: String
    public var healthStatus: String?
    /// The exit code, once the container has stopped.
    public var exitCode: Int?
    /// Why it stopped (`OutOfMemoryError: ...`), when known.
    public var reason: String?
    /// Times the runtime restarted the container.
    public var restartCount: Int

    public init(name: String, lastStatus: String, healthStatus: String? = nil, exitCode: Int? = nil, reason: String? = nil, restartCount: Int = 0) {
        self.name = name
        self.lastStatus = lastStatus
        self.healthStatus = healthStatus
        self.exitCode = exitCode
        self.reason = reason
        self.restartCount = restartCount
    }
}
