import GRDB

/// Service rows (with their deployments, events and task counts) as ECS's `Service`.
enum ServiceRendering {
    /// Task counts of one service: per deployment (the tasks' `startedBy`) and in all.
    struct Counts {
        var running = 0
        var pending = 0
        var byDeployment: [String: (running: Int, pending: Int)] = [:]
    }

    static let pendingStatuses: Set<ECSTaskStatus> = [.provisioning, .pending, .activating]

    static func counts(_ db: Database, serviceArn: String) throws -> Counts {
        var counts = Counts()
        let rows = try Row.fetchAll(db, sql: """
            SELECT startedBy, lastStatus, COUNT(*) AS n FROM task
            WHERE serviceArn = ? AND desiredStatus = ? GROUP BY startedBy, lastStatus
            """, arguments: [serviceArn, ECSTaskStatus.running])
        for row in rows {
            let n: Int = row["n"]
            let deployment: String = row["startedBy"] ?? ""
            guard let status = ECSTaskStatus(rawValue: row["lastStatus"] ?? "") else { continue }
            var entry = counts.byDeployment[deployment] ?? (0, 0)
            if status == .running {
                counts.running += n
                entry.running += n
            } else if pendingStatuses.contains(status) {
                counts.pending += n
                entry.pending += n
            }
            counts.byDeployment[deployment] = entry
        }
        return counts
    }

    static func render(_ db: Database, _ record: ServiceRecord, withTags: Bool, context: ECSRequestContext) throws -> ECSService {
        let document = ServiceDocument.decode(record.document)
        let counts = try counts(db, serviceArn: record.arn)
        let deployments = try DeploymentRecord
            .filter(Column("serviceArn") == record.arn && Column("status") != ECSDeploymentStatus.inactive.rawValue)
            // The PRIMARY first (also when its createdAt ties an older one's), then the rest newest first.
            .order((Column("status") == ECSDeploymentStatus.primary.rawValue).desc, Column("createdAt").desc)
            .fetchAll(db)
        let failed = try failedTaskCounts(db, deployments: deployments)
        let events = try ServiceEventRecord.recent(db, serviceArn: record.arn)
        let tags = withTags ? try TagRecord.tags(db, resourceArn: record.arn) : nil
        let current = try ServiceDeploymentRendering.current(db, service: record, deployments: deployments, counts: counts,
                                                             context: context)
        return ECSService(
            serviceArn: record.arn, serviceName: record.name,
            clusterArn: context.arn(.cluster(name: record.clusterName)).description,
            loadBalancers: document.loadBalancers, serviceRegistries: document.serviceRegistries,
            status: record.status.rawValue, desiredCount: record.desiredCount,
            runningCount: counts.running, pendingCount: counts.pending,
            launchType: record.launchType?.rawValue, capacityProviderStrategy: document.capacityProviderStrategy,
            platformVersion: record.launchType == .fargate ? (document.platformVersion ?? "LATEST") : document.platformVersion,
            platformFamily: record.launchType == .fargate ? "Linux" : nil,
            taskDefinition: record.taskDefinitionArn, deploymentConfiguration: document.deploymentConfiguration,
            deployments: deployments.map { deployment in
                let count = counts.byDeployment[deployment.id] ?? (0, 0)
                let extra = DeploymentDocument.decode(deployment.document)
                return ECSDeployment(
                    id: deployment.id, status: deployment.status.rawValue, taskDefinition: deployment.taskDefinitionArn,
                    desiredCount: deployment.desiredCount, pendingCount: count.pending, runningCount: count.running,
                    failedTasks: failed[deployment.id] ?? 0, createdAt: deployment.createdAt, updatedAt: deployment.updatedAt,
                    capacityProviderStrategy: extra.capacityProviderStrategy, launchType: extra.launchType,
                    platformVersion: extra.platformVersion, platformFamily: nil,
                    networkConfiguration: extra.networkConfiguration,
                    rolloutState: deployment.rolloutState?.rawValue, rolloutStateReason: deployment.rolloutStateReason)
            },
            roleArn: document.roleArn,
            events: events.map { ECSServiceEvent(id: $0.id, createdAt: $0.createdAt, message: $0.message) },
            createdAt: record.createdAt,
            placementConstraints: document.placementConstraints, placementStrategy: document.placementStrategy,
            networkConfiguration: document.networkConfiguration,
            healthCheckGracePeriodSeconds: document.healthCheckGracePeriodSeconds,
            schedulingStrategy: record.schedulingStrategy, deploymentController: DeploymentController(type: "ECS"),
            tags: tags.flatMap { $0.isEmpty ? nil : $0 }, createdBy: document.createdBy,
            enableECSManagedTags: document.enableECSManagedTags, propagateTags: document.propagateTags,
            enableExecuteCommand: document.enableExecuteCommand, availabilityZoneRebalancing: "DISABLED",
            currentServiceDeployment: current.deployment, currentServiceRevisions: current.revisions)
    }

    /// Stop codes of tasks that failed on their own (not stopped by a user or the scheduler).
    static let failureStopCodes = ["TaskFailedToStart", "EssentialContainerExited"]

    /// When each failed task of a deployment stopped: tasks that stopped on their own, or that
    /// the scheduler stopped because they failed health checks. What the circuit breaker counts
    /// and the deployment's `failedTasks` reports.
    static func failedTaskTimes(_ db: Database, serviceArn: String, deploymentID: String) throws -> [Double] {
        try Double.fetchAll(db, sql: """
            SELECT COALESCE(stoppedAt, stoppingAt, createdAt) FROM task
            WHERE serviceArn = ? AND startedBy = ? AND desiredStatus = ?
            AND (stopCode IN (?, ?) OR stoppedReason LIKE 'Task failed % health checks%')
            """, arguments: [serviceArn, deploymentID, ECSTaskStatus.stopped, failureStopCodes[0], failureStopCodes[1]])
    }

    static func failedTaskCounts(_ db: Database, deployments: [DeploymentRecord]) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for deployment in deployments {
            result[deployment.id] = try failedTaskTimes(db, serviceArn: deployment.serviceArn, deploymentID: deployment.id).count
        }
        return result
    }
}
