/// Where the dashboard's application gets what it serves. The control plane implements it,
/// or uses ``WharfDashboardSource`` and supplies only the ECS parts.
public protocol DashboardDataSource: Sendable {
    /// Everything the page shows, as of now (served as `/api/dashboard.json`).
    func snapshot() async -> DashboardSnapshot
    /// The Prometheus text served at `/metrics`.
    func prometheusMetrics() async -> String
}

/// The ECS parts of the dashboard, as the control plane knows them.
public struct ECSDashboardSection: Sendable, Equatable {
    public var clusters: [DashboardCluster]
    public var services: [DashboardService]
    public var tasks: [DashboardTask]
    /// Newest first.
    public var scalingActivities: [DashboardScalingActivity]

    public init(
        clusters: [DashboardCluster] = [], services: [DashboardService] = [], tasks: [DashboardTask] = [],
        scalingActivities: [DashboardScalingActivity] = []
    ) {
        self.clusters = clusters
        self.services = services
        self.tasks = tasks
        self.scalingActivities = scalingActivities
    }
}

/// What the control plane implements to feed ``WharfDashboardSource``.
public protocol ECSDashboardProvider: Sendable {
    /// Clusters, services (with the target groups their tasks are registered in), tasks and
    /// scaling activities as of now.
    func ecsSection() async -> ECSDashboardSection
}
