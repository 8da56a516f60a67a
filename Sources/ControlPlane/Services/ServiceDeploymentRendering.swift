import GRDB

/// Service deployment and revision rows as ECS's shapes.
enum ServiceDeploymentRendering {
    /// The ARNs of one service's deployments and revisions.
    struct Naming {
        let service: ServiceRecord
        let context: ECSRequestContext

        var clusterArn: String { context.arn(.cluster(name: service.clusterName)).description }

        func deploymentArn(_ id: String) -> String {
            context.arn(.serviceDeployment(cluster: service.clusterName, service: service.name, id: id)).description
        }

        func revisionArn(_ id: String) -> String {
            context.arn(.serviceRevision(cluster: service.clusterName, service: service.name, id: id)).description
        }

        func brief(_ record: ServiceDeploymentRecord) -> ECSServiceDeploymentBrief {
            let details = ServiceDeploymentDocument.decode(record.document)
            return ECSServiceDeploymentBrief(
                serviceDeploymentArn: deploymentArn(record.id), serviceArn: service.arn, clusterArn: clusterArn,
                startedAt: details.startedAt, createdAt: record.createdAt, finishedAt: details.finishedAt,
                targetServiceRevisionArn: revisionArn(record.targetRevisionId), status: record.status.rawValue,
                statusReason: details.statusReason)
        }

        func revision(_ record: ServiceRevisionRecord) -> ECSServiceRevision {
            let details = ServiceRevisionDocument.decode(record.document)
            let fargate = details.launchType == ECSLaunchType.fargate.rawValue
            return ECSServiceRevision(
                serviceRevisionArn: revisionArn(record.id), serviceArn: service.arn, clusterArn: clusterArn,
                taskDefinition: details.taskDefinition, capacityProviderStrategy: details.capacityProviderStrategy,
                launchType: details.capacityProviderStrategy == nil ? details.launchType : nil,
                platformVersion: fargate ? (details.platformVersion ?? "LATEST") : details.platformVersion,
                platformFamily: fargate ? "Linux" : nil,
                loadBalancers: details.loadBalancers, serviceRegistries: details.serviceRegistries,
                networkConfiguration: details.networkConfiguration, containerImages: details.containerImages,
                guardDutyEnabled: false, createdAt: record.createdAt)
        }

        func summary(_ revisionID: String, _ counts: ServiceDeploymentDocument.Counts?) -> ECSServiceRevisionSummary {
            let counts = counts ?? .init()
            return ECSServiceRevisionSummary(arn: revisionArn(revisionID), requestedTaskCount: counts.requested,
                                             runningTaskCount: counts.running, pendingTaskCount: counts.pending)
        }
    }

    /// A service deployment with its revisions' counts: live while it goes on, as they were
    /// at its end after.
    static func render(_ db: Database, _ record: ServiceDeploymentRecord, service: ServiceRecord, context: ECSRequestContext)
        throws -> ECSServiceDeployment
    {
        let naming = Naming(service: service, context: context)
        let details = ServiceDeploymentDocument.decode(record.document)
        let counts = try details.finalCounts ?? ServiceDeploymentHistory.liveCounts(db, serviceArn: service.arn)
        let failures = try details.finalFailureCount ?? ServiceRendering.failedTaskTimes(
            db, serviceArn: service.arn, deploymentID: DeploymentID.prefix + record.targetRevisionId).count
        let threshold = details.finalThreshold ?? ServiceController.circuitBreakerThreshold(desiredCount: service.desiredCount)
        let breaker: String
        if details.deploymentConfiguration?.deploymentCircuitBreaker?.enable != true {
            breaker = "DISABLED"
        } else if details.circuitBreakerTriggered {
            breaker = "TRIGGERED"
        } else {
            breaker = record.status.isOngoing ? "MONITORING" : "MONITORING_COMPLETE"
        }
        return ECSServiceDeployment(
            serviceDeploymentArn: naming.deploymentArn(record.id), serviceArn: service.arn, clusterArn: naming.clusterArn,
            createdAt: record.createdAt, startedAt: details.startedAt, finishedAt: details.finishedAt, stoppedAt: details.stoppedAt,
            updatedAt: record.updatedAt,
            sourceServiceRevisions: details.sourceRevisionIds.map { naming.summary($0, counts[$0]) },
            targetServiceRevision: naming.summary(record.targetRevisionId, counts[record.targetRevisionId]),
            status: record.status.rawValue, statusReason: details.statusReason,
            deploymentConfiguration: details.deploymentConfiguration,
            rollback: details.rollback.map {
                ECSRollback(reason: $0.reason, startedAt: $0.startedAt, serviceRevisionArn: naming.revisionArn($0.revisionId))
            },
            deploymentCircuitBreaker: ECSServiceDeploymentCircuitBreaker(
                status: breaker, failureCount: failures, threshold: threshold),
            alarms: ECSServiceDeploymentAlarms(status: "DISABLED"))
    }

    /// DescribeServices' `currentServiceDeployment` (the newest) and `currentServiceRevisions`
    /// (what the service's live ECS deployments run).
    static func current(_ db: Database, service: ServiceRecord, deployments: [DeploymentRecord],
                        counts: ServiceRendering.Counts, context: ECSRequestContext)
        throws -> (deployment: String?, revisions: [ECSServiceRevisionSummary])
    {
        let naming = Naming(service: service, context: context)
        let newest = try ServiceDeploymentRecord
            .filter(Column("serviceArn") == service.arn)
            .order(Column("createdAt").desc, Column("id").desc)
            .fetchOne(db)
        let revisions = deployments.map { deployment in
            naming.summary(ServiceDeploymentHistory.revisionID(ofDeployment: deployment.id), .init(deployment, tasks: counts))
        }
        return (newest.map { naming.deploymentArn($0.id) }, revisions)
    }
}
