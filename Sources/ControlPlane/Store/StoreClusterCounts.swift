import GRDB

/// The counts DescribeClusters reports and DeleteCluster checks, computed from the task, service
/// and container instance rows of one cluster.
public struct ClusterCounts: Sendable, Equatable {
    /// Container instances `ACTIVE` or `DRAINING` (ECS: "This includes container instances in both
    /// ACTIVE and DRAINING status").
    public var registeredContainerInstances = 0
    /// Container instances in any status but `INACTIVE` (what blocks DeleteCluster).
    public var containerInstancesNotInactive = 0
    /// Tasks whose `lastStatus` is `RUNNING`.
    public var runningTasks = 0
    /// Tasks whose `lastStatus` is `PENDING`.
    public var pendingTasks = 0
    /// Tasks in any state that holds resources (not `STOPPED`): what blocks DeleteCluster.
    public var activeTasks = 0
    /// Services whose `status` is `ACTIVE`.
    public var activeServices = 0
    /// Services whose `status` is `DRAINING`.
    public var drainingServices = 0
    public var runningTasksByLaunchType: [ECSLaunchType: Int] = [:]
    public var pendingTasksByLaunchType: [ECSLaunchType: Int] = [:]
    public var activeServicesByLaunchType: [ECSLaunchType: Int] = [:]
    public var drainingServicesByLaunchType: [ECSLaunchType: Int] = [:]

    public init() {}

    /// Counts for the cluster `clusterName`.
    public static func fetch(_ db: Database, clusterName: String) throws -> ClusterCounts {
        var counts = ClusterCounts()
        let instanceRows = try Row.fetchAll(db, sql: """
            SELECT status, COUNT(*) AS n FROM containerInstance WHERE clusterName = ? GROUP BY status
            """, arguments: [clusterName])
        for row in instanceRows {
            let status: ECSContainerInstanceStatus? = row["status"]
            let n: Int = row["n"]
            switch status {
            case .active?, .draining?: counts.registeredContainerInstances += n
            default: break
            }
            if status?.isRegistered ?? true { counts.containerInstancesNotInactive += n }
        }

        let taskRows = try Row.fetchAll(db, sql: """
            SELECT launchType, lastStatus, COUNT(*) AS n FROM task
            WHERE clusterName = ? AND lastStatus NOT IN (?, ?) GROUP BY launchType, lastStatus
            """, arguments: [clusterName, ECSTaskStatus.stopped, ECSTaskStatus.deleted])
        for row in taskRows {
            let launchType: ECSLaunchType = row["launchType"] ?? .ec2
            let status: ECSTaskStatus? = row["lastStatus"]
            let n: Int = row["n"]
            counts.activeTasks += n
            if status == .running {
                counts.runningTasks += n
                counts.runningTasksByLaunchType[launchType, default: 0] += n
            } else if status == .pending {
                counts.pendingTasks += n
                counts.pendingTasksByLaunchType[launchType, default: 0] += n
            }
        }

        let serviceRows = try Row.fetchAll(db, sql: """
            SELECT launchType, status, COUNT(*) AS n FROM service
            WHERE clusterName = ? AND status != ? GROUP BY launchType, status
            """, arguments: [clusterName, ECSServiceStatus.inactive])
        for row in serviceRows {
            let launchType: ECSLaunchType = row["launchType"] ?? .ec2
            let status: ECSServiceStatus? = row["status"]
            let n: Int = row["n"]
            if status == .active {
                counts.activeServices += n
                counts.activeServicesByLaunchType[launchType, default: 0] += n
            } else if status == .draining {
                counts.drainingServices += n
                counts.drainingServicesByLaunchType[launchType, default: 0] += n
            }
        }
        return counts
    }

    /// The `statistics` member of DescribeClusters with STATISTICS: ECS's names, values as strings.
    public var statistics: [ECSKeyValuePair] {
        func pair(_ name: String, _ table: [ECSLaunchType: Int], _ type: ECSLaunchType) -> ECSKeyValuePair {
            ECSKeyValuePair(name: name, value: String(table[type] ?? 0))
        }
        return [
            pair("runningEC2TasksCount", runningTasksByLaunchType, .ec2),
            pair("runningFargateTasksCount", runningTasksByLaunchType, .fargate),
            pair("pendingEC2TasksCount", pendingTasksByLaunchType, .ec2),
            pair("pendingFargateTasksCount", pendingTasksByLaunchType, .fargate),
            pair("runningExternalTasksCount", runningTasksByLaunchType, .external),
            pair("pendingExternalTasksCount", pendingTasksByLaunchType, .external),
            pair("activeEC2ServiceCount", activeServicesByLaunchType, .ec2),
            pair("activeFargateServiceCount", activeServicesByLaunchType, .fargate),
            pair("drainingEC2ServiceCount", drainingServicesByLaunchType, .ec2),
            pair("drainingFargateServiceCount", drainingServicesByLaunchType, .fargate),
            pair("activeExternalServiceCount", activeServicesByLaunchType, .external),
            pair("drainingExternalServiceCount", drainingServicesByLaunchType, .external),
        ]
    }
}
