import Foundation
import GRDB
import Scheduler

/// One service's pass: read, plan, act, record.
extension ServiceController {
    /// Everything a pass needs of one service, read in one transaction.
    struct ServiceView: Sendable {
        var record: ServiceRecord
        var document: ServiceDocument
        /// Not INACTIVE, newest first.
        var deployments: [DeploymentRecord]
        /// Desired RUNNING.
        var live: [TaskRecord]
        /// Desired STOPPED but not stopped yet.
        var stopping: Int
        var definitions: [String: TaskDefinition]
        /// Instances whose tasks the service replaces: DRAINING ones, and INACTIVE ones (a
        /// forced deregistration leaves their tasks orphaned, and ECS "starts another copy").
        var retiringInstances: Set<String>
        /// Live tasks under scale-in protection now.
        var protectedTasks: Set<String>
        var activeInstances: Int
        /// Per deployment: when each of its failed tasks stopped.
        var failures: [String: [Double]]
        var serviceTags: [ECSTag]
    }

    func load(_ arn: String, now: Double) throws -> ServiceView? {
        try api.store.read { db -> ServiceView? in
            guard let record = try ServiceRecord.fetchOne(db, key: arn), record.status != .inactive else { return nil }
            let deployments = try DeploymentRecord
                .filter(Column("serviceArn") == arn && Column("status") != ECSDeploymentStatus.inactive.rawValue)
                .order(Column("createdAt").desc)
                .fetchAll(db)
            let live = try TaskRecord
                .filter(Column("serviceArn") == arn && Column("desiredStatus") == ECSTaskStatus.running.rawValue)
                .order(Column("createdAt"))
                .fetchAll(db)
            let stopping = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM task WHERE serviceArn = ? AND desiredStatus = ? AND lastStatus NOT IN (?, ?)
                """, arguments: [arn, ECSTaskStatus.stopped, ECSTaskStatus.stopped, ECSTaskStatus.deleted]) ?? 0
            var definitions: [String: TaskDefinition] = [:]
            for definitionArn in Set(live.map(\.taskDefinitionArn)) {
                if let definition = try TaskDefinitionRecord.fetchOne(db, key: definitionArn) {
                    definitions[definitionArn] = definition.rendered
                }
            }
            let instances = try ContainerInstanceRecord.filter(Column("clusterName") == record.clusterName).fetchAll(db)
            var failures: [String: [Double]] = [:]
            for deployment in deployments {
                failures[deployment.id] = try ServiceRendering.failedTaskTimes(db, serviceArn: arn, deploymentID: deployment.id)
            }
            return ServiceView(
                record: record, document: ServiceDocument.decode(record.document), deployments: deployments, live: live,
                stopping: stopping, definitions: definitions,
                retiringInstances: Set(instances.filter { $0.status == .draining || $0.status == .inactive }.map(\.id)),
                protectedTasks: try TaskProtectionRecord.protected(db, among: live.map(\.id), now: now),
                activeInstances: instances.filter { $0.status == .active }.count,
                failures: failures, serviceTags: try TagRecord.tags(db, resourceArn: arn))
        }
    }

    func reconcile(_ arn: String) throws {
        let context = passContext()
        let now = context.timestamp
        guard var view = try load(arn, now: now) else { return }

        if view.record.status == .draining {
            if view.live.isEmpty && view.stopping == 0 {
                try api.store.write { db in
                    guard var record = try ServiceRecord.fetchOne(db, key: arn), record.status == .draining else { return }
                    record.status = .inactive
                    record.updatedAt = now
                    record.version += 1
                    try record.update(db)
                }
                return
            }
        } else if view.record.schedulingStrategy == "DAEMON", view.record.desiredCount != view.activeInstances {
            let count = view.activeInstances
            view.record.desiredCount = count
            let service = view.record
            try api.store.write { db in
                try db.execute(sql: "UPDATE service SET desiredCount = ?, updatedAt = ? WHERE arn = ?", arguments: [count, now, arn])
                try ECSAPI.syncPrimaryDesiredCount(db, service: service, now: now)
            }
        }

        guard let primary = view.deployments.first(where: { $0.status == .primary }) else { return }
        if try tripCircuitBreaker(view, primary: primary, now: now) { return }

        let planner = RolloutPlanner(
            desiredCount: view.record.desiredCount,
            minimumHealthyPercent: view.document.deploymentConfiguration.minimumHealthyPercent ?? 100,
            maximumPercent: view.document.deploymentConfiguration.maximumPercent ?? 200,
            canLaunch: canLaunch(view, primary: primary, now: now))
        let grace = Double(view.document.healthCheckGracePeriodSeconds ?? 0)
        let liveTasks = view.live.map { task in
            RolloutPlanner.LiveTask(
                id: task.id, isPrimary: task.startedBy == primary.id,
                isRetiring: task.containerInstanceId.map { view.retiringInstances.contains($0) } ?? false,
                health: ServiceTaskHealth.classify(task, definition: view.definitions[task.taskDefinitionArn], targetGroups: targetGroups,
                                                   grace: grace, now: now),
                createdAt: task.createdAt, isProtected: view.protectedTasks.contains(task.id))
        }
        let plan = planner.plan(liveTasks)
        stop(plan.stops, view: view, primary: primary, context: context)
        if plan.launchCount > 0 {
            launch(plan.launchCount, view: view, primary: primary, context: context)
        }
        try settle(view, primary: primary, steady: plan.isSteady, now: now)
    }

    /// Whether the primary may start tasks now: not after its deployment failed, and not
    /// before the back-off that follows repeated task failures has passed.
    func canLaunch(_ view: ServiceView, primary: DeploymentRecord, now: Double) -> Bool {
        if primary.rolloutState == .failed { return false }
        let recent = (view.failures[primary.id] ?? []).filter { $0 > now - Self.failureWindow }
        guard recent.count >= Self.backoffAfterFailures, let last = recent.max() else { return true }
        let exponent = min(recent.count - Self.backoffAfterFailures, 6)
        let delay = min(Self.maximumBackoff, 2.0 * Double(1 << exponent))
        return now >= last + delay
    }

    /// Trips the deployment circuit breaker when the primary's failed tasks reach ECS's
    /// threshold (half the desired count, at least 3 and at most 200): the deployment FAILED
    /// and, with rollback, a new deployment of the last one that was running.
    func tripCircuitBreaker(_ view: ServiceView, primary: DeploymentRecord, now: Double) throws -> Bool {
        guard let breaker = view.document.deploymentConfiguration.deploymentCircuitBreaker, breaker.enable,
              primary.rolloutState == .inProgress, view.record.status == .active else { return false }
        let threshold = Self.circuitBreakerThreshold(desiredCount: view.record.desiredCount)
        guard (view.failures[primary.id] ?? []).count >= threshold else { return false }
        let name = view.record.name
        let previous = view.deployments.first { $0.id != primary.id }
        try api.store.write { db in
            // Still the primary of an active service: an update or a delete since the view was
            // read has decided what runs instead.
            guard var failed = try DeploymentRecord.fetchOne(db, key: primary.id), failed.rolloutState == .inProgress,
                  failed.status == .primary, var service = try ServiceRecord.fetchOne(db, key: view.record.arn),
                  service.status == .active
            else { return }
            try failed.markFailed(db, reason: "ECS deployment circuit breaker: tasks failed to start.", now: now)
            try ServiceEventLog.add(db, serviceArn: view.record.arn,
                                    message: ServiceEventLog.deploymentFailed(name, deployment: primary.id), now: now)
            // A rollback that fails is not rolled back in turn.
            if try ServiceDeploymentHistory.isRollback(db, serviceArn: service.arn, deploymentID: primary.id) {
                try ServiceDeploymentHistory.rollbackFailed(db, serviceArn: service.arn, reason: failed.rolloutStateReason ?? "", now: now)
                return
            }
            guard breaker.rollback, let previous else {
                try ServiceDeploymentHistory.circuitBreakerStopped(
                    db, serviceArn: service.arn, deploymentID: primary.id, reason: failed.rolloutStateReason ?? "", now: now)
                return
            }
            try ECSAPI.rollBack(db, service: &service, to: previous, cause: .circuitBreaker,
                                reason: "ECS deployment circuit breaker: rolling back to deploymentId \(previous.id).", now: now)
        }
        logger.warning("service \(name): deployment \(primary.id) failed (circuit breaker)\(breaker.rollback ? ", rolling back" : "")")
        return true
    }

    /// Stops the planned tasks as the scheduler (stop code `ServiceSchedulerInitiated`).
    func stop(_ stops: [(id: String, cause: RolloutPlanner.StopCause)], view: ServiceView, primary: DeploymentRecord,
              context: ECSRequestContext) {
        guard !stops.isEmpty else { return }
        var stopped: [String] = []
        var messages: [String] = []
        for (id, cause) in stops {
            let reason: String
            switch cause {
            case .unhealthy(let why):
                reason = why
                messages.append(ServiceEventLog.unhealthy(view.record.name, taskID: id, reason: why.replacingOccurrences(of: "Task ", with: "")))
            case .scaleIn, .replaced:
                reason = "Scaling activity initiated by (deployment \(primary.id))"
            }
            do {
                try api.markStopping(cluster: view.record.clusterName, task: id, reason: reason,
                                     stopCode: "ServiceSchedulerInitiated", context: context)
                stopped.append(id)
            } catch {
                logger.warning("service \(view.record.name): stopping task \(id) failed: \(error)")
            }
        }
        guard !stopped.isEmpty else { return }
        messages.append(ServiceEventLog.stopped(view.record.name, taskIDs: stopped))
        addEvents(messages, serviceArn: view.record.arn, now: context.timestamp)
    }

    /// Starts `count` tasks of the primary deployment with the deployment's launch settings, as
    /// RunTask would on the service's behalf.
    func launch(_ count: Int, view: ServiceView, primary: DeploymentRecord, context: ECSRequestContext) {
        let document = view.document
        let settings = DeploymentDocument.decode(primary.document)
        // Placement was validated when the service was created or updated.
        var constraints = (try? TaskValidation.constraints(document.placementConstraints)) ?? []
        if view.record.schedulingStrategy == "DAEMON" { constraints.append(.distinctInstance) }
        let strategies = (try? TaskValidation.strategies(document.placementStrategy)) ?? []
        var started: [String] = []
        var unplaced: String?
        var remaining = count
        while remaining > 0 {
            let batch = min(remaining, TaskValidation.countRange.upperBound)
            remaining -= batch
            let request = TaskLaunchRequest(
                cluster: view.record.clusterName, taskDefinition: primary.taskDefinitionArn,
                placement: .scheduler(count: batch, strategies: strategies, constraints: constraints),
                launchType: settings.launchType.flatMap(ECSLaunchType.init) ?? .ec2,
                capacityProviderName: settings.capacityProviderName, platformVersion: settings.platformVersion,
                networkConfiguration: settings.networkConfiguration, group: "service:\(view.record.name)",
                startedBy: primary.id, serviceArn: view.record.arn, loadBalancers: settings.loadBalancers,
                tags: document.propagateTags == "SERVICE" ? view.serviceTags : [],
                propagateTaskDefinitionTags: document.propagateTags == "TASK_DEFINITION",
                enableExecuteCommand: document.enableExecuteCommand, enableECSManagedTags: document.enableECSManagedTags)
            do {
                let result = try api.launchTaskRecords(request, context: context)
                started += result.records.map(\.id)
                if let failure = result.failures.first {
                    unplaced = failure.reason ?? "no container instance could take the task"
                    break
                }
            } catch {
                unplaced = error.message
                break
            }
        }
        var messages: [String] = []
        if !started.isEmpty { messages.append(ServiceEventLog.started(view.record.name, taskIDs: started)) }
        if let unplaced {
            let now = context.timestamp
            let due = memory.withLock { memory in
                let last = memory.lastPlacementEvent[view.record.arn] ?? -.infinity
                guard now - last >= Self.placementEventInterval else { return false }
                memory.lastPlacementEvent[view.record.arn] = now
                return true
            }
            if due { messages.append(ServiceEventLog.unplaced(view.record.name, reason: unplaced)) }
        }
        addEvents(messages, serviceArn: view.record.arn, now: context.timestamp)
    }

    /// Records what a pass ended in: a completed rollout (old deployments dropped) and, once
    /// per change, the steady state.
    func settle(_ view: ServiceView, primary: DeploymentRecord, steady: Bool, now: Double) throws {
        let arn = view.record.arn
        let name = view.record.name
        let wasSteady = memory.withLock { memory in
            defer { memory.steady[arn] = steady }
            return memory.steady[arn] ?? false
        }
        guard steady, view.record.status == .active else { return }
        let completes = primary.rolloutState == .inProgress
        let hasOld = view.deployments.contains { $0.id != primary.id }
        guard completes || hasOld || !wasSteady else { return }
        try api.store.write { db in
            // An update since the view was read made another deployment the primary: the next
            // pass settles that one.
            guard var deployment = try DeploymentRecord.fetchOne(db, key: primary.id), deployment.status == .primary else { return }
            if completes {
                deployment.rolloutState = .completed
                deployment.rolloutStateReason = "ECS deployment \(primary.id) completed."
                deployment.updatedAt = now
                try deployment.update(db)
                try ServiceEventLog.add(db, serviceArn: arn, message: ServiceEventLog.deploymentCompleted(name, deployment: primary.id),
                                        now: now)
                try ServiceDeploymentHistory.deploymentCompleted(db, serviceArn: arn, deploymentID: primary.id, now: now)
            }
            try DeploymentRecord.filter(Column("serviceArn") == arn && Column("id") != primary.id).deleteAll(db)
            if !wasSteady {
                try ServiceEventLog.add(db, serviceArn: arn, message: ServiceEventLog.steadyState(name), now: now)
            }
        }
    }

    func addEvents(_ messages: [String], serviceArn: String, now: Double) {
        guard !messages.isEmpty else { return }
        do {
            try api.store.write { db in
                for message in messages { try ServiceEventLog.add(db, serviceArn: serviceArn, message: message, now: now) }
            }
        } catch {
            logger.warning("service events of \(serviceArn) not recorded: \(error)")
        }
    }
}
