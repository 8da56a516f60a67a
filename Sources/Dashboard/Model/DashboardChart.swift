/// Request rate against task count for one service over the last hour.
public struct DashboardChart: Sendable, Equatable, Codable {
    /// `cluster/service`.
    public var service: String
    public var targetGroup: String
    /// Seconds each point covers.
    public var stepSeconds: Int
    /// Oldest first.
    public var points: [DashboardChartPoint]

    public init(service: String, targetGroup: String, stepSeconds: Int, points: [DashboardChartPoint]) {
        self.service = service
        self.targetGroup = targetGroup
        self.stepSeconds = stepSeconds
        self.points = points
    }
}

/// One step of a ``DashboardChart``.
public struct DashboardChartPoint: Sendable, Equatable, Codable {
    /// Start of the step (Unix seconds).
    public var time: Double
    /// Mean requests per second over the step.
    public var requestsPerSecond: Double
    /// Running tasks at the end of the step; nil before anything was recorded.
    public var runningTasks: Int?
    public var desiredTasks: Int?

    public init(time: Double, requestsPerSecond: Double, runningTasks: Int? = nil, desiredTasks: Int? = nil) {
        self.time = time
        self.requestsPerSecond = requestsPerSecond
        self.runningTasks = runningTasks
        self.desiredTasks = desiredTasks
    }
}
