/// Everything the dashboard shows at one moment: what `/api/dashboard.json` returns and the
/// page renders. Times are Unix seconds (wall clock), so the browser can show them as they are.
///
/// The ECS parts (clusters, services, tasks, scaling activities) come from the control plane;
/// the target groups and the chart can be built from the load balancer with
/// ``LoadBalancerSection``.
public struct DashboardSnapshot: Sendable, Equatable, Codable {
    /// When the snapshot was taken (Unix seconds).
    public var generatedAt: Double
    public var clusters: [DashboardCluster]
    public var services: [DashboardService]
    public var tasks: [DashboardTask]
    public var targetGroups: [DashboardTargetGroup]
    /// Application Auto Scaling activities, newest first.
    public var scalingActivities: [DashboardScalingActivity]
    /// Request rate against task count over the last hour, one chart per service behind the LB.
    public var charts: [DashboardChart]
    /// What needs attention, most severe first (see ``DashboardAlerts``). Filled in by
    /// ``withAlerts()``; a data source need not set it.
    public var alerts: [DashboardAlert]

    public init(
        generatedAt: Double, clusters: [DashboardCluster] = [], services: [DashboardService] = [],
        tasks: [DashboardTask] = [], targetGroups: [DashboardTargetGroup] = [],
        scalingActivities: [DashboardScalingActivity] = [], charts: [DashboardChart] = [],
        alerts: [DashboardAlert] = []
    ) {
        self.generatedAt = generatedAt
        self.clusters = clusters
        self.services = services
        self.tasks = tasks
        self.targetGroups = targetGroups
        self.scalingActivities = scalingActivities
        self.charts = charts
        self.alerts = alerts
    }

    /// This snapshot with ``alerts`` computed from its contents.
    public func withAlerts() -> DashboardSnapshot {
        var copy = self
        copy.alerts = DashboardAlerts.evaluate(self)
        return copy
    }
}
