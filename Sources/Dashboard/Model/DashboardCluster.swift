/// One ECS cluster, with the counts `DescribeClusters` reports.
public struct DashboardCluster: Sendable, Equatable, Codable {
    public var name: String
    /// `ACTIVE`, `INACTIVE`, ...
    public var status: String
    public var activeServices: Int
    public var runningTasks: Int
    public var pendingTasks: Int
    public var containerInstances: Int

    public init(name: String, status: String, activeServices: Int, runningTasks: Int, pendingTasks: Int, containerInstances: Int) {
        self.name = name
        self.status = status
        self.activeServices = activeServices
        self.runningTasks = runningTasks
        self.pendingTasks = pendingTasks
        self.containerInstances = containerInstances
    }
}
