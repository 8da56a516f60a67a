/// The control plane's figures for `/metrics`, beside the load balancer's: live tasks by
/// state, desired/running/pending tasks per service, and the recent scaling activities.
/// Rendered by ``WharfMetricsText``.
public struct WharfMetricFigures: Sendable, Equatable {
    /// Live tasks (not `STOPPED`) per cluster and last status (`wharf_tasks`).
    public var tasks: [TaskStateCount]
    /// Task counts per service (`wharf_service_{desired,running,pending}_tasks`).
    public var services: [ServiceTaskCounts]
    /// The recent scaling activities the dashboard lists, by resource and status
    /// (`wharf_autoscaling_recent_activities`).
    public var recentScalingActivities: [ScalingActivityCount]

    public init(
        tasks: [TaskStateCount] = [], services: [ServiceTaskCounts] = [], recentScalingActivities: [ScalingActivityCount] = []
    ) {
        self.tasks = tasks
        self.services = services
        self.recentScalingActivities = recentScalingActivities
    }

    /// The figures of a dashboard snapshot: its live tasks by state, its service counts and
    /// the activities it lists, counted by resource and status.
    ///
    /// Stopped tasks are left out: a snapshot lists only the most recently stopped ones, so
    /// their count would be a cap, not a figure.
    public init(snapshot: DashboardSnapshot) {
        var taskCounts: [TaskStateCount] = []
        for task in snapshot.tasks where task.lastStatus != WharfMetricFigures.stoppedStatus {
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
            recentScalingActivities: activities)
    }

    /// The last status of a task that has stopped.
    static let stoppedStatus = "STOPPED"
}

public struct TaskStateCount: Sendable, Equatable {
    public var cluster: String
    /// The task's last status (`RUNNING`, `PENDING`, ...).
    public var state: String
    public var count: Int

    public init(cluster: String, state: String, count: Int) {
        self.cluster = cluster
        self.state = state
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
