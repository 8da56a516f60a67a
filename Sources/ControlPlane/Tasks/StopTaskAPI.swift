/// StopTask.
extension ECSAPI {
    /// StopTask: records the stop (desired STOPPED, `stopCode` UserInitiated, the reason) and
    /// tells the reconciler, which deregisters the task's targets and stops it on its host.
    /// Answers the task as it is now (still RUNNING, desired STOPPED). A task already stopped or
    /// already stopping is answered unchanged.
    func stopTask(_ request: StopTaskRequest, _ context: ECSRequestContext) throws(ECSError) -> StopTaskResponse {
        let task = try RequestValidation.required(request.task, "task")
        let reason = try TaskValidation.reason(request.reason)
        return StopTaskResponse(task: try requestTaskStop(cluster: request.cluster, task: task,
                                                          reason: reason ?? TaskLifecycle.defaultStopReason,
                                                          stopCode: "UserInitiated", context: context))
    }

    /// Stops a task as StopTask does, with the `stopCode` of the caller: a service controller
    /// passes `ServiceSchedulerInitiated`. `task` is an ID or ARN; unknown tasks are
    /// InvalidParameterException ("The referenced task was not found.").
    public func requestTaskStop(cluster: String?, task: String, reason: String, stopCode: String,
                                context: ECSRequestContext) throws(ECSError) -> ECSTask {
        let record = try markStopping(cluster: cluster, task: task, reason: reason, stopCode: stopCode, context: context)
        return try snapshot { db in try TaskRendering.render(db, [record], withTags: false)[0] }
    }

    /// Records the stop (desired STOPPED, the code and reason, `stoppingAt`) unless the task is
    /// already stopping or stopped, tells the reconciler, and returns the row as it now is.
    @discardableResult
    func markStopping(cluster: String?, task: String, reason: String, stopCode: String,
                      context: ECSRequestContext) throws(ECSError) -> TaskRecord {
        let now = context.timestamp
        let (record, changed) = try transaction { db -> (TaskRecord, Bool) in
            let clusterName = try ClusterReference.existingName(db, cluster, context)
            guard var record = try TaskReference.find(db, task, cluster: clusterName, context) else {
                throw ECSError(.invalidParameterException, "The referenced task was not found.")
            }
            guard record.desiredStatus != .stopped, record.lastStatus.holdsResources else { return (record, false) }
            record.desiredStatus = .stopped
            record.stopCode = stopCode
            record.stoppedReason = reason
            record.stoppingAt = record.stoppingAt ?? now
            record.version += 1
            try record.update(db)
            return (record, true)
        }
        if changed { taskObserver?.desiredStateChanged(taskIDs: [record.id]) }
        return record
    }
}
