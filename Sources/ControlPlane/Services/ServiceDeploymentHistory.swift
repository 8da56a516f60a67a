import Foundation
import GRDB

/// Service deployments and revisions as the service controller makes them: every new ECS
/// deployment (`ecs-svc/NNN`) makes revision `NNN`; a new service deployment targets it, and
/// the service deployment before it, if still going, is stopped. A circuit breaker that trips
/// rolls the service deployment back (or stops it without rollback), and the rollout's end
/// makes it SUCCESSFUL (ROLLBACK_SUCCESSFUL for a rollback). Every step runs in the
/// transaction of the change that causes it.
enum ServiceDeploymentHistory {
    /// What rolls a service deployment back.
    enum RollbackCause: Sendable {
        /// The deployment circuit breaker tripped.
        case circuitBreaker
        /// StopServiceDeployment asked for it.
        case stopRequest
    }

    /// The revision id an ECS deployment runs: its digits.
    static func revisionID(ofDeployment deploymentID: String) -> String {
        deploymentID.hasPrefix(DeploymentID.prefix) ? String(deploymentID.dropFirst(DeploymentID.prefix.count)) : deploymentID
    }

    /// A new service deployment id: 21 letters and digits.
    static func newID() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<21).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Records what a new ECS deployment `deploymentID` of `service` runs, and the service
    /// deployment it belongs to: a new one (the ongoing one, if any, stopped), or for a
    /// rollback the ongoing one, now rolling back (`rollback`: why; `reason` says how).
    static func deploymentStarted(_ db: Database, service: ServiceRecord, document: ServiceDocument, deployment: DeploymentRecord,
                                  settings: DeploymentDocument, rollback: RollbackCause?, reason: String?, now: Double) throws {
        let revisionID = revisionID(ofDeployment: deployment.id)
        let images = try TaskDefinitionRecord.fetchOne(db, key: deployment.taskDefinitionArn)?.rendered.containerDefinitions?
            .map { ECSContainerImage(containerName: $0.name, image: $0.image) } ?? []
        try ServiceRevisionRecord(
            id: revisionID, serviceArn: service.arn, createdAt: now,
            document: ServiceRevisionDocument(
                taskDefinition: deployment.taskDefinitionArn, launchType: settings.launchType,
                capacityProviderStrategy: settings.capacityProviderStrategy, platformVersion: settings.platformVersion,
                loadBalancers: settings.loadBalancers, serviceRegistries: document.serviceRegistries,
                networkConfiguration: settings.networkConfiguration, containerImages: images
            ).encoded()
        ).insert(db)

        let ongoing = try ongoingDeployment(db, serviceArn: service.arn)
        if let rollback, var failed = ongoing, failed.status == .inProgress || failed.status == .pending {
            let rollbackReason = reason ?? "Rolling back."
            var details = ServiceDeploymentDocument.decode(failed.document)
            details.rollback = .init(reason: rollbackReason, startedAt: now, revisionId: revisionID)
            if rollback == .circuitBreaker { details.circuitBreakerTriggered = true }
            details.statusReason = rollbackReason
            failed.status = .rollbackInProgress
            failed.document = details.encoded()
            failed.updatedAt = now
            try failed.update(db)
            return
        }
        if let ongoing {
            try end(db, ongoing, status: .stopped, reason: "Stopped by a new service deployment.", now: now, stopped: true)
        }
        // Strictly after the one before, so newest-first is the order they were made in even
        // within one millisecond (or across a clock step back).
        let newest = try ServiceDeploymentRecord
            .filter(Column("serviceArn") == service.arn)
            .order(Column("createdAt").desc)
            .fetchOne(db)
        let createdAt = max(now, (newest?.createdAt ?? 0) + 0.001)
        let sources = try DeploymentRecord
            .filter(Column("serviceArn") == service.arn && Column("id") != deployment.id
                && Column("status") != ECSDeploymentStatus.inactive.rawValue)
            .order(Column("createdAt"))
            .fetchAll(db)
            .map { Self.revisionID(ofDeployment: $0.id) }
        try ServiceDeploymentRecord(
            id: newID(), serviceArn: service.arn, status: .inProgress, targetRevisionId: revisionID, createdAt: createdAt,
            updatedAt: createdAt,
            document: ServiceDeploymentDocument(
                startedAt: createdAt, sourceRevisionIds: sources, deploymentConfiguration: document.deploymentConfiguration
            ).encoded()
        ).insert(db)
    }

    /// The circuit breaker stopped ECS deployment `deploymentID` without a rollback: its
    /// service deployment is STOPPED.
    static func circuitBreakerStopped(_ db: Database, serviceArn: String, deploymentID: String, reason: String, now: Double) throws {
        guard var ongoing = try ongoingDeployment(db, serviceArn: serviceArn),
              ongoing.targetRevisionId == revisionID(ofDeployment: deploymentID) else { return }
        var details = ServiceDeploymentDocument.decode(ongoing.document)
        details.circuitBreakerTriggered = true
        ongoing.document = details.encoded()
        try end(db, ongoing, status: .stopped, reason: reason, now: now, stopped: true)
    }

    /// ECS deployment `deploymentID` completed: the service deployment that targets it (or
    /// rolled back to it) has succeeded. Call before the old ECS deployments are dropped, so
    /// their last counts are kept.
    static func deploymentCompleted(_ db: Database, serviceArn: String, deploymentID: String, now: Double) throws {
        guard let ongoing = try ongoingDeployment(db, serviceArn: serviceArn) else { return }
        let revisionID = revisionID(ofDeployment: deploymentID)
        let details = ServiceDeploymentDocument.decode(ongoing.document)
        if ongoing.status == .rollbackInProgress, details.rollback?.revisionId == revisionID {
            try end(db, ongoing, status: .rollbackSuccessful, reason: details.statusReason, now: now, stopped: false)
        } else if ongoing.status == .inProgress, ongoing.targetRevisionId == revisionID {
            try end(db, ongoing, status: .successful, reason: nil, now: now, stopped: false)
        }
    }

    /// Whether ECS deployment `deploymentID` is the circuit breaker's rollback of the ongoing
    /// service deployment.
    static func isRollback(_ db: Database, serviceArn: String, deploymentID: String) throws -> Bool {
        guard let ongoing = try ongoingDeployment(db, serviceArn: serviceArn), ongoing.status == .rollbackInProgress else {
            return false
        }
        return ServiceDeploymentDocument.decode(ongoing.document).rollback?.revisionId == revisionID(ofDeployment: deploymentID)
    }

    /// The rollback failed in turn (the circuit breaker tripped on it): the service deployment
    /// is ROLLBACK_FAILED, and nothing rolls back again.
    static func rollbackFailed(_ db: Database, serviceArn: String, reason: String, now: Double) throws {
        guard let ongoing = try ongoingDeployment(db, serviceArn: serviceArn), ongoing.status == .rollbackInProgress else { return }
        try end(db, ongoing, status: .rollbackFailed, reason: reason, now: now, stopped: false)
    }

    /// The service is being deleted: a service deployment still going is STOPPED.
    static func serviceDeleted(_ db: Database, serviceArn: String, now: Double) throws {
        guard let ongoing = try ongoingDeployment(db, serviceArn: serviceArn) else { return }
        try end(db, ongoing, status: .stopped, reason: "The service was deleted.", now: now, stopped: true)
    }

    /// The service deployment of the service that is still going (a new one ends the one
    /// before, so there is at most one).
    static func ongoingDeployment(_ db: Database, serviceArn: String) throws -> ServiceDeploymentRecord? {
        let ongoing = ECSServiceDeploymentStatus.allCases.filter(\.isOngoing).map(\.rawValue)
        return try ServiceDeploymentRecord
            .filter(Column("serviceArn") == serviceArn && ongoing.contains(Column("status")))
            .order(Column("createdAt").desc)
            .fetchOne(db)
    }

    /// Ends a service deployment, freezing each revision's counts as they are now.
    private static func end(_ db: Database, _ record: ServiceDeploymentRecord, status: ECSServiceDeploymentStatus, reason: String?,
                            now: Double, stopped: Bool) throws {
        var record = record
        var details = ServiceDeploymentDocument.decode(record.document)
        let live = try liveCounts(db, serviceArn: record.serviceArn)
        var frozen: [String: ServiceDeploymentDocument.Counts] = [:]
        for id in details.sourceRevisionIds + [record.targetRevisionId] + [details.rollback?.revisionId].compactMap({ $0 }) {
            frozen[id] = live[id] ?? .init()
        }
        details.finalCounts = frozen
        details.finalFailureCount = try ServiceRendering.failedTaskTimes(
            db, serviceArn: record.serviceArn, deploymentID: DeploymentID.prefix + record.targetRevisionId).count
        details.finalThreshold = try ServiceRecord.fetchOne(db, key: record.serviceArn)
            .map { ServiceController.circuitBreakerThreshold(desiredCount: $0.desiredCount) }
        details.finishedAt = now
        if stopped { details.stoppedAt = now }
        details.statusReason = reason
        record.status = status
        record.document = details.encoded()
        record.updatedAt = now
        try record.update(db)
    }

    /// Each live ECS deployment's counts, by revision id.
    static func liveCounts(_ db: Database, serviceArn: String) throws -> [String: ServiceDeploymentDocument.Counts] {
        let counts = try ServiceRendering.counts(db, serviceArn: serviceArn)
        var result: [String: ServiceDeploymentDocument.Counts] = [:]
        for deployment in try DeploymentRecord.filter(Column("serviceArn") == serviceArn).fetchAll(db) {
            result[revisionID(ofDeployment: deployment.id)] = .init(deployment, tasks: counts)
        }
        return result
    }
}
