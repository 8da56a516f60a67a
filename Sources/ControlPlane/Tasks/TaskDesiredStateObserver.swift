/// Told by ``ECSAPI`` when a transaction that created tasks or changed their desired state has
/// committed (RunTask, StartTask, StopTask), so the reconciler acts at once instead of at its
/// next pass. Must return quickly: it is called on the API's request path.
public protocol TaskDesiredStateObserver: Sendable {
    func desiredStateChanged(taskIDs: [String])
}

/// A change of a task as the reconciler recorded it (one per `version` increment): what a
/// service controller follows to replace stopped tasks, and what ECS would send as a "Task State
/// Change" event.
public struct TaskStateChange: Sendable, Equatable {
    public var taskID: String
    public var taskArn: String
    public var clusterName: String
    public var serviceArn: String?
    public var group: String?
    public var startedBy: String?
    public var lastStatus: ECSTaskStatus
    public var desiredStatus: ECSTaskStatus
    public var stopCode: String?
    public var stoppedReason: String?
    public var version: Int

    init(_ record: TaskRecord) {
        taskID = record.id
        taskArn = record.arn
        clusterName = record.clusterName
        serviceArn = record.serviceArn
        group = record.group
        startedBy = record.startedBy
        lastStatus = record.lastStatus
        desiredStatus = record.desiredStatus
        stopCode = record.stopCode
        stoppedReason = record.stoppedReason
        version = record.version
    }
}
