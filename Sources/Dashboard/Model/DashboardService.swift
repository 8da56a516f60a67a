/// One ECS service: counts, deployments and recent events.
public struct DashboardService: Sendable, Equatable, Codable {
    public var cluster: String
    public var name: String
    /// `ACTIVE`, `DRAINING`, `INACTIVE`.
    public var status: String
    public var desiredCount: Int
    public var runningCount: Int
    public var pendingCount: Int
    /// The primary deployment's task definition (`family:revision`).
    public var taskDefinition: String
    /// Names of the load balancer target groups the service's tasks are registered in.
    public var targetGroups: [String]
    /// Deployments, primary first.
    public var deployments: [DashboardDeployment]
    /// Recent service events, newest first.
    public var events: [DashboardServiceEvent]

    public init(
        cluster: String, name: String, status: String, desiredCount: Int, runningCount: Int, pendingCount: Int,
        taskDefinition: String, targetGroups: [String] = [], deployments: [DashboardDeployment] = [],
        events: [DashboardServiceEvent] = []
    ) {
        self.cluster = cluster
        self.name = name
        self.status = status
        self.desiredCount = desiredCount
        self.runningCount = runningCount
        self.pendingCount = pendingCount
        self.taskDefinition = taskDefinition
        self.targetGroups = targetGroups
        self.deployments = deployments
        self.events = events
    }
}

/// One deployment of a service, as `DescribeServices` reports it.
public struct DashboardDeployment: Sendable, Equatable, Codable {
    public var id: String
    /// `PRIMARY`, `ACTIVE` or `INACTIVE`.
    public var status: String
    public var taskDefinition: String
    public var desiredCount: Int
    public var runningCount: Int
    public var pendingCount: Int
    public var failedTasks: Int
    /// `IN_PROGRESS`, `COMPLETED` or `FAILED`.
    public var rolloutState: String
    public var rolloutStateReason: String?
    /// Unix seconds.
    public var createdAt: Double
    public var updatedAt: Double

    public init(
        id: String, status: String, taskDefinition: String, desiredCount: Int, runningCount: Int, pendingCount: Int,
        failedTasks: Int = 0, rolloutState: String, rolloutStateReason: String? = nil, createdAt: Double, updatedAt: Double
    ) {
        self.id = id
        self.status = status
        self.taskDefinition = taskDefinition
        self.desiredCount = desiredCount
        self.runningCount = runningCount
        self.pendingCount = pendingCount
        self.failedTasks = failedTasks
        self.rolloutState = rolloutState
        self.rolloutStateReason = rolloutStateReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One service event (`"(service web) has reached a steady state."`).
public struct DashboardServiceEvent: Sendable, Equatable, Codable {
    /// Unix seconds.
    public var createdAt: Double
    public var message: String

    public init(createdAt: Double, message: String) {
        self.createdAt = createdAt
        self.message = message
    }
}
