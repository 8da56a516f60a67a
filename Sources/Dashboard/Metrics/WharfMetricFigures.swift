/// The control plane's figures for `/metrics`, beside the load balancer's: tasks by state,
/// container restarts and exits (runtime), desired/running tasks per service and scaling
/// activities (autoscaler). Rendered by ``WharfMetricsText``.
public struct WharfMetricFigures: Sendable, Equatable {
    /// Tasks per cluster and last status (`wharf_tasks`).
    public var tasks: [TaskStateCount]
    /// Restarts per container since the daemon started (`wharf_container_restarts_total`).
    public var containerRestarts: [ContainerCount]
    /// Container exits by exit code (`wharf_container_exits_total`).
    public var containerExits: [ContainerExitCount]
    /// Task counts per service (`wharf_service_{desired,running,pending}_tasks`).
    public var services: [ServiceTaskCounts]
    /// Scalable targets (`wharf_autoscaling_{min,max}_capacity`).
    public var scalableTargets: [ScalableTargetFigures]
    /// Scaling activities by resource and status (`wharf_autoscaling_activities_total`).
    public var scalingActivities: [ScalingActivityCount]

    public init(
        tasks: [TaskStateCount] = [], containerRestarts: [ContainerCount] = [], containerExits: [ContainerExitCount] = [],
        services: [ServiceTaskCounts] = [], scalableTargets: [ScalableTargetFigures] = [],
        scalingActivities: [ScalingActivityCount] = []
    ) {
        self.tasks = tasks
        self.containerRestarts = containerRestarts
        self.containerExits = containerExits
        self.services = services
        self.scalableTargets = scalableTargets
        self.scalingActivities = scalingActivities
    }

    /// The figures a dashboard snapshot already holds: tasks by state, service counts, and
    /// the activities it lists (counted by resource and status). Restarts, exits and scalable
    /// targets are the caller's to add.
    public init(snapshot: DashboardSnapshot) {
        var taskCounts: [TaskStateCount] = []
        for task in snapshot.tasks {
            if let index = taskCounts.firstIndex(where: { $0.cluster == task.cluster && $0.state == task.lastStatus }) {
                taskCounts[index].count += 1
            } else {
                taskCounts.append(TaskStateCount(cluster: task.cluster, state: task.lastStatus, count: 1))
            }
        }
        var activities: [ScalingActivityCount] = []
        for activity in snapshot.scalingActivities {
            if let index = activities.firstIndex(where: { $0.resourceId == activity.resourceId && $0.status == activity.statusCode }) {
                activities[index].count += 1
            } else {
                activities.append(ScalingActivityCount(resourceId: activity.resourceId, status: activity.statusCode, count: 1))
            }
        }
        self.init(
            tasks: taskCounts,
            services: snapshot.services.map {
                ServiceTaskCounts(cluster: $0.cluster, service: $0.name, desired: $0.desiredCount, running: $0.runningCount, pending: $0.pendingCount)
            },
            scalingActivities: activities)
    }
}

public struct TaskStateCount: Sendable, Equatable {
    public var cluster: String
    /// The task's last status (`RUNNING`, `STOPPED`, ...).
    public var state: String
    public var count: Int

    public init(cluster: String, state: String, count: Int) {
        self.cluster = cluster
        self.state = state
        self.count = count
    }
}

public struct ContainerCount: Sendable, Equatable {
    public var cluster: String
    /// The service of the task, "" for a standalone task.
    public var service: String
    public var container: String
    public var count: Int

    public init(cluster: String, service: String, container: String, count: Int) {
        self.cluster = cluster
        self.service = service
        self.container = container
        self.count = count
    }
}

public struct ContainerExitCount: Sendable, Equatable {
    public var cluster: String
    public var service: String
    public var container: String
    /// The exit code; `oom` and signal exits are the caller's codes as they report them (137, ...).
    public var exitCode: Int
    public var count: Int

    public init(cluster: String, service: String, container: String, exitCode: Int, count: Int) {
        self.cluster = cluster
        self.service = service
        self.container = container
        self.exitCode = exitCode
        self.count = count
    }
}

public struct ServiceTaskCounts: Sendable, Equatable {
    public var cluster: String
    public var service: String
    public var desired: Int
    public var running: Int
    public var pending: Int

    public init(cluster: String, service: String, desired: Int, running: Int, pending: Int) {
        self.cluster = cluster
        self.service = service
        self.desired = desired
        self.running = running
        self.pending = pending
    }
}

public struct ScalableTargetFigures: Sendable, Equatable {
    /// `service/CLUSTER/SERVICE`.
    public var resourceId: String
    public var minCapacity: Int
    public var maxCapacity: Int

    public init(resourceId: String, minCapacity: Int, maxCapacity: Int) {
        self.resourceId = resourceId
        self.minCapacity = minCapacity
        self.maxCapacity = maxCapacity
    }
}

public struct ScalingActivityCount: Sendable, Equatable {
    public var resourceId: String
    /// `Successful`, `Failed`, ...
    public var status: String
    public var count: Int

    public init(resourceId: String, status: String, count: Int) {
        self.resourceId = resourceId
        self.status = status
        self.count = count
    }
}
