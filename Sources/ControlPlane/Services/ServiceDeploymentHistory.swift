import Foundation
import GRDB

/// What a ``ServiceRevisionRecord``'s `document` holds: the settings the revision's tasks run
/// with.
struct ServiceRevisionDocument: StoredDocument, Sendable, Equatable {
    var taskDefinition = ""
    var launchType: String?
    var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    var platformVersion: String?
    var loadBalancers: [TaskLoadBalancer] = []
    var serviceRegistries: [ServiceRegistry] = []
    var networkConfiguration: TaskNetworkConfiguration?
    var containerImages: [ECSContainerImage] = []
}

/// What a ``ServiceDeploymentRecord``'s `document` holds.
struct ServiceDeploymentDocument: StoredDocument, Sendable, Equatable {
    /// A revision's task counts, frozen when the service deployment ends.
    struct Counts: Codable, Sendable, Equatable {
        var requested = 0
        var running = 0
        var pending = 0
    }

    /// Where a failed service deployment rolled back to.
    struct Rollback: Codable, Sendable, Equatable {
        var reason = ""
        var startedAt = 0.0
        var revisionId = ""
    }

    var startedAt: Double?
    var finishedAt: Double?
    var stoppedAt: Double?
    var statusReason: String?
    /// The revisions the service ran when the deployment started.
    var sourceRevisionIds: [String] = []
    var deploymentConfiguration: DeploymentConfiguration?
    var rollback: Rollback?
    var circuitBreakerTriggered = false
    /// Each revision's counts at the end (nil while the deployment goes on: counted live).
    var finalCounts: [String: Counts]?
}

/// Service deployments and revisions as the service controller makes them: every new ECS
/// deployment (`ecs-svc/NNN`) makes revision `NNN`; a new service deployment targets it, and
/// the service deployment before it, if still going, is stopped. A circuit breaker that trips
/// rolls the service deployment back (or stops it without rollback), and the rollout's end
/// makes it SUCCESSFUL (ROLLBACK_SUCCESSFUL for a rollback). Every step runs in the
/// transaction of the change that causes it.
enum ServiceDeploymentHistory {
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
    /// rollback (`rollbackReason`) the ongoing one, now rolling back.
    static func deploymentStarted(_ db: Database, service: ServiceRecord, document: ServiceDocument, deployment: DeploymentRecord,
                                  settings: DeploymentDocument, rollbackReason: String?, now: Double) throws {
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
        if let rollbackReason, var failed = ongoing {
            var details = ServiceDeploymentDocument.decode(failed.document)
            details.rollback = .init(reason: rollbackReason, startedAt: now, revisionId: revisionID)
            details.circuitBreakerTriggered = true
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
        let sources = try DeploymentRecord
            .filter(Column("serviceArn") == service.arn && Column("id") != deployment.id
                && Column("status") != ECSDeploymentStatus.inactive.rawValue)
            .order(Column("createdAt"))
            .fetchAll(db)
            .map { Self.revisionID(ofDeployment: $0.id) }
        try ServiceDeploymentRecord(
            id: newID(), serviceArn: service.arn, status: .inProgress, targetRevisionId: revisionID, createdAt: now, updatedAt: now,
            document: ServiceDeploymentDocument(
                startedAt: now, sourceRevisionIds: sources, deploymentConfiguration: document.deploymentConfiguration
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

    /// The service is being deleted: a service deployment still going is STOPPED.
    static func serviceDeleted(_ db: Database, serviceArn: String, now: Double) throws {
        guard let ongoing = try ongoingDeployment(db, serviceArn: serviceArn) else { return }
        try end(db, ongoing, status: .stopped, reason: "The service was deleted.", now: now, stopped: true)
    }

    /// The newest service deployment of the service, if it is still going.
    static func ongoingDeployment(_ db: Database, serviceArn: String) throws -> ServiceDeploymentRecord? {
        let newest = try ServiceDeploymentRecord
            .filter(Column("serviceArn") == serviceArn)
            .order(Column("createdAt").desc, Column("id").desc)
            .fetchOne(db)
        return newest.flatMap { $0.status.isOngoing ? $0 : nil }
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
            let tasks = counts.byDeployment[deployment.id] ?? (0, 0)
            result[revisionID(ofDeployment: deployment.id)] = .init(
                requested: deployment.desiredCount, running: tasks.running, pending: tasks.pending)
        }
        return result
    }
}
