import GRDB

/// UpdateTaskProtection and GetTaskProtection: scale-in protection of a service's tasks.
extension ECSAPI {
    /// ECS: "A list of up to 10 task IDs or full ARN entries" (UpdateTaskProtection).
    static let maxProtectionUpdates = 10
    /// GetTaskProtection: up to 100 tasks.
    static let maxProtectionQueries = 100
    /// `expiresInMinutes`: 1 to 2,880 (48 hours), 120 by default.
    static let protectionMinutes = 1...2_880
    static let defaultProtectionMinutes = 120

    /// UpdateTaskProtection: each named task of a service protected for `expiresInMinutes`
    /// (from now, replacing an earlier expiry) or unprotected. A task that does not exist is a
    /// failure `MISSING`; one that belongs to no service, or has stopped, `TASK_NOT_VALID`.
    func updateTaskProtection(_ request: UpdateTaskProtectionRequest, _ context: ECSRequestContext)
        throws(ECSError) -> TaskProtectionResponse
    {
        let cluster = try RequestValidation.required(request.cluster, "cluster")
        let tasks = try RequestValidation.required(request.tasks, "tasks")
        try RequestValidation.atMost(tasks, Self.maxProtectionUpdates, member: "tasks")
        guard let enabled = request.protectionEnabled else { throw .missing("protectionEnabled") }
        let minutes = request.expiresInMinutes ?? Self.defaultProtectionMinutes
        guard Self.protectionMinutes.contains(minutes) else {
            throw ECSError(.invalidParameterException, "expiresInMinutes must be between 1 and 2880.")
        }
        let now = context.timestamp
        var unprotectedServices: Set<String> = []
        let answer = try transaction { db in
            let clusterName = try ClusterReference.activeName(db, cluster, context)
            var response = TaskProtectionResponse(protectedTasks: [], failures: [])
            for reference in tasks {
                guard let task = try TaskReference.find(db, reference, cluster: clusterName, context) else {
                    response.failures.append(ECSFailure(arn: TaskReference.failureARN(reference, cluster: clusterName, context),
                                                        reason: ECSFailure.missingReason))
                    continue
                }
                guard task.serviceArn != nil, task.desiredStatus == .running else {
                    response.failures.append(ECSFailure(arn: task.arn, reason: "TASK_NOT_VALID",
                                                        detail: "Task protection is only for running tasks of a service."))
                    continue
                }
                if enabled {
                    let expiry = now + Double(minutes) * 60
                    try TaskProtectionRecord(taskId: task.id, expiresAt: expiry).save(db)
                    response.protectedTasks.append(ECSProtectedTask(taskArn: task.arn, protectionEnabled: true, expirationDate: expiry))
                } else {
                    if try TaskProtectionRecord.deleteOne(db, key: task.id), let service = task.serviceArn {
                        unprotectedServices.insert(service)
                    }
                    response.protectedTasks.append(ECSProtectedTask(taskArn: task.arn, protectionEnabled: false, expirationDate: nil))
                }
            }
            return response
        }
        // A service may have waited to scale in or replace a task that is no longer protected.
        for service in unprotectedServices { serviceObserver?.serviceChanged(arn: service) }
        return answer
    }

    /// GetTaskProtection: the protection of each named task (of the cluster's protected tasks
    /// when none is named); unknown tasks are failures `MISSING`.
    func getTaskProtection(_ request: GetTaskProtectionRequest, _ context: ECSRequestContext) throws(ECSError) -> TaskProtectionResponse {
        let cluster = try RequestValidation.required(request.cluster, "cluster")
        let tasks = request.tasks ?? []
        try RequestValidation.atMost(tasks, Self.maxProtectionQueries, member: "tasks")
        let now = context.timestamp
        return try snapshot { db in
            let clusterName = try ClusterReference.existingName(db, cluster, context)
            var response = TaskProtectionResponse(protectedTasks: [], failures: [])
            func entry(_ task: TaskRecord) throws -> ECSProtectedTask {
                // A task on its way out is protected no more, whatever its row says.
                let expiry = task.desiredStatus != .running ? nil
                    : try TaskProtectionRecord.fetchOne(db, key: task.id).map(\.expiresAt).flatMap { $0 > now ? $0 : nil }
                return ECSProtectedTask(taskArn: task.arn, protectionEnabled: expiry != nil, expirationDate: expiry)
            }
            if tasks.isEmpty {
                for protection in try TaskProtectionRecord.filter(Column("expiresAt") > now).fetchAll(db) {
                    if let task = try TaskRecord.fetch(db, id: protection.taskId), task.clusterName == clusterName,
                        task.desiredStatus == .running
                    {
                        response.protectedTasks.append(
                            ECSProtectedTask(taskArn: task.arn, protectionEnabled: true, expirationDate: protection.expiresAt))
                    }
                }
                return response
            }
            for reference in tasks {
                if let task = try TaskReference.find(db, reference, cluster: clusterName, context) {
                    response.protectedTasks.append(try entry(task))
                } else {
                    response.failures.append(ECSFailure(arn: TaskReference.failureARN(reference, cluster: clusterName, context),
                                                        reason: ECSFailure.missingReason))
                }
            }
            return response
        }
    }
}
