import Foundation
import GRDB

extension TaskReconciler {
    /// What one store step saw and did.
    private struct Step: Sendable {
        var action: TaskAction
        var task: StoredTask
        var changed: Bool
        /// The revision to run, for ``TaskAction/launch``.
        var taskDefinition: TaskDefinition?
    }

    /// Drives one task until it needs nothing more (or an error postpones it).
    func drive(_ id: String) async {
        let row: (record: TaskRecord, launchable: TaskDefinition?)?
        do {
            row = try await store.read { db in
                guard let record = try TaskRecord.fetch(db, id: id) else { return nil }
                // A task never launched is launched from this read (see `firstStep`): its
                // revision comes with it.
                let launchable = Self.isUnlaunched(record) ? try Self.taskDefinition(db, of: record) : nil
                return (record, launchable)
            }
        } catch {
            logger.error("reading a task failed", metadata: ["task": "\(id)", "error": "\(error)"])
            retryLater(id)
            return
        }
        // The instance never changes; the next step goes on from what this one read or saved.
        guard let row, let agent = agent(forInstance: row.record.containerInstanceId) else { return }
        var current = row.record
        // The row as last read or saved here stands for the next step's read snapshot (most
        // drives, e.g. the periodic resync's, find nothing to change and end there); a step
        // that changes the task reads it again in its write transaction, and an action that
        // writes the task (stop, register, deregister, a refused launch) leaves it unknown. A
        // change another writer made meanwhile (StopTask) signals the task, which is then
        // driven again from a fresh read.
        var fresh: TaskRecord? = current
        // The report a launch answered with stands for the first report after it.
        var launched: AgentTaskReport?
        var first = Self.firstStep(of: row.record, launchable: row.launchable, now: TaskLifecycle.seconds(clock()))
        for _ in 0..<Self.maximumStepsPerDrive {
            guard current.lastStatus.holdsResources else { return }
            let report: AgentTaskReport?
            if let step = first {
                // Launched at once, without asking the host first (a hop to the agent's status
                // threads and a second read of the task), as nothing else can have happened to
                // the task since it was read.
                first = nil
                fresh = nil
                let outcome = await launch(step.task, taskDefinition: step.taskDefinition, agent: agent)
                guard outcome.goOn else { return }
                launched = outcome.report
                if outcome.report != nil { fresh = current }
                continue
            }
            if let known = launched {
                report = known
                launched = nil
            } else {
                do {
                    report = try await agent.taskReport(id)
                } catch {
                    logger.warning("asking the agent about a task failed", metadata: ["task": "\(id)", "error": "\(error)"])
                    retryLater(id)
                    return
                }
            }
            let now = TaskLifecycle.seconds(clock())
            let advanced: Step?
            do {
                advanced = try await advance(id, report: report, now: now, known: fresh)
                fresh = nil
            } catch {
                logger.error("recording a task's progress failed", metadata: ["task": "\(id)", "error": "\(error)"])
                retryLater(id)
                return
            }
            guard let step = advanced else { return }
            current = step.task.record
            switch step.action {
            case .none:
                if !step.changed { return }
                fresh = current
            case .launch:
                let outcome = await launch(step.task, taskDefinition: step.taskDefinition, agent: agent)
                guard outcome.goOn else { return }
                launched = outcome.report
                if outcome.report != nil { fresh = current }
            case .stop(let reason, let code):
                guard await stop(step.task, reason: reason, code: code, agent: agent) else { return }
            case .register(let targets):
                guard await register(step.task, targets: targets) else { return }
            case .deregister(let targets):
                guard await deregister(step.task, targets: targets) else { return }
            }
        }
        // Still moving after many steps: continue on the next pass rather than spin here.
        retryLater(id)
    }

    /// Whether `record` was never launched and is wanted running: a task RunTask, StartTask or
    /// a service just created.
    private static func isUnlaunched(_ record: TaskRecord) -> Bool {
        record.lastStatus == .provisioning && record.desiredStatus == .running
    }

    /// The launch of a task never launched, decided on the read that found it with its
    /// revision (`launchable`); nil for any other task (its host is asked first).
    ///
    /// A host that launched it already (the control plane stopped between the launch and
    /// saving its report) answers the launch with its report (`ContainerAgent.startTask`
    /// launches a task once), so asking first would only cost time: a hop to the agent's status
    /// threads and a second read of the task, about a millisecond each on a busy host, for
    /// each task of a RunTask before its launch.
    private static func firstStep(of record: TaskRecord, launchable: TaskDefinition?, now: Double) -> Step? {
        guard let launchable, isUnlaunched(record),
              var step = unchangedStep(on: record, report: nil, now: now), step.action == .launch
        else { return nil }
        step.taskDefinition = launchable
        return step
    }

    /// The task advanced by `report`, saved if that changed it. Most steps change nothing (a
    /// launch about to be asked for, a task already where its report puts it): those are worked
    /// out on a read snapshot, beside other reads, instead of queueing for the store's one
    /// writer behind every other task's step. A step that changes the task is worked out again
    /// in one write transaction, on the row as it is then.
    ///
    /// `known`, the row as the caller last read or saved it, stands for the read snapshot,
    /// except for a launch: a StopTask may have committed since, and a launch (an image pull
    /// and a container start) is decided on the row as it is now, read with its task
    /// definition.
    private func advance(_ id: String, report: AgentTaskReport?, now: Double, known: TaskRecord?) async throws -> Step? {
        if let known {
            // nil: it changes, and is worked out again in the write transaction.
            guard let step = Self.unchangedStep(on: known, report: report, now: now) else {
                return try await savedStep(id, report: report, now: now)
            }
            if step.action != .launch { return step }
        }
        if let unchanged = try await unchangedStep(id, report: report, now: now) {
            return unchanged
        }
        return try await savedStep(id, report: report, now: now)
    }

    /// The step worked out on a read snapshot if it changes nothing; nil if it changes the task.
    private func unchangedStep(_ id: String, report: AgentTaskReport?, now: Double) async throws -> Step?? {
        try await store.read { db -> Step?? in
            guard let record = try TaskRecord.fetch(db, id: id) else { return .some(nil) }
            guard var step = Self.unchangedStep(on: record, report: report, now: now) else { return nil }
            if step.action == .launch { step.taskDefinition = try Self.taskDefinition(db, of: record) }
            return .some(step)
        }
    }

    /// The step `report` makes of the task stored as `record`, if it changes nothing (its task
    /// definition, which only a launch needs, not yet read); nil if it changes the task.
    private static func unchangedStep(on record: TaskRecord, report: AgentTaskReport?, now: Double) -> Step? {
        let before = StoredTask(record)
        var task = before
        let action = task.advance(report: report, now: now)
        guard task == before else { return nil }
        return Step(action: action, task: task, changed: false, taskDefinition: nil)
    }

    /// The revision `record` runs, as a launch sends it to the host.
    private static func taskDefinition(_ db: Database, of record: TaskRecord) throws -> TaskDefinition? {
        try TaskDefinitionRecord.fetchOne(db, key: record.taskDefinitionArn)?.rendered
    }

    /// The step worked out and saved in one write transaction, on the row as it is then.
    private func savedStep(_ id: String, report: AgentTaskReport?, now: Double) async throws -> Step? {
        let (step, change) = try await store.write { db -> (Step?, TaskStateChange?) in
            guard let record = try TaskRecord.fetch(db, id: id) else { return (nil, nil) }
            let before = StoredTask(record)
            var task = before
            let action = task.advance(report: report, now: now)
            let change = try Self.save(db, before: before, after: &task)
            var definition: TaskDefinition?
            if action == .launch { definition = try Self.taskDefinition(db, of: record) }
            return (Step(action: action, task: task, changed: change != nil, taskDefinition: definition), change)
        }
        if let change { publish(change) }
        return step
    }

    /// Applies `mutate` to the stored task in one transaction.
    private func update(_ id: String, _ mutate: @escaping @Sendable (inout StoredTask) -> Void) async -> Bool {
        do {
            let change = try await store.write { db -> TaskStateChange? in
                guard let record = try TaskRecord.fetch(db, id: id) else { return nil }
                let before = StoredTask(record)
                var task = before
                mutate(&task)
                return try Self.save(db, before: before, after: &task)
            }
            if let change { publish(change) }
            return true
        } catch {
            logger.error("recording a task's progress failed", metadata: ["task": "\(id)", "error": "\(error)"])
            retryLater(id)
            return false
        }
    }

    /// Saves `after` if it differs from `before`; `version + 1` when what ECS shows changed.
    /// Returns the change to publish.
    private static func save(_ db: Database, before: StoredTask, after: inout StoredTask) throws -> TaskStateChange? {
        guard after != before else { return nil }
        let shownBefore = TaskRendering.render(before.record, document: before.document, containerInstanceArn: nil, tags: nil)
        var shownAfter = TaskRendering.render(after.record, document: after.document, containerInstanceArn: nil, tags: nil)
        shownAfter.version = shownBefore.version
        let visible = shownAfter != shownBefore
        if visible { after.record.version = before.record.version + 1 }
        // The stored text is kept when the document did not change (only columns did).
        if after.document != before.document {
            after.record.document = after.document.encodedForTask(after.record.id)
        }
        try after.record.update(db)
        return visible ? TaskStateChange(after.record) : nil
    }

    // MARK: - Actions

    /// Starts the task on its host. Returns whether to go on driving it and, when the host
    /// started it, the host's report (the next step goes on from it).
    private func launch(_ task: StoredTask, taskDefinition: TaskDefinition?, agent: any ContainerAgent) async
        -> (goOn: Bool, report: AgentTaskReport?) {
        let id = task.record.id
        guard let taskDefinition else {
            let recorded = await update(id) { $0.failLaunch(stoppedReason: "ClientException: TaskDefinition not found.", now: $0.record.createdAt) }
            return (recorded, nil)
        }
        let request = AgentTaskStart(taskID: id, taskArn: task.record.arn, taskDefinition: taskDefinition,
                                     overrides: task.document.overrides)
        do {
            return (true, try await agent.startTask(request))
        } catch .launchRefused(_, let reason) {
            logger.info("a task failed to start", metadata: ["task": "\(id)", "reason": "\(reason)"])
            let now = TaskLifecycle.seconds(clock())
            return (await update(id) { $0.failLaunch(stoppedReason: reason, now: now) }, nil)
        } catch {
            logger.warning("starting a task failed", metadata: ["task": "\(id)", "error": "\(error)"])
            retryLater(id)
            return (false, nil)
        }
    }

    /// Asks the host to stop the task. Returns whether to go on driving it.
    private func stop(_ task: StoredTask, reason: String, code: String, agent: any ContainerAgent) async -> Bool {
        let id = task.record.id
        do {
            try await agent.stopTask(id, reason: reason, stopCode: code)
        } catch .taskNotFound(_) {
            // Gone from the host: the next step records it stopped.
            return true
        } catch {
            logger.warning("stopping a task failed", metadata: ["task": "\(id)", "error": "\(error)"])
            retryLater(id)
            return false
        }
        let now = TaskLifecycle.seconds(clock())
        return await update(id) { $0.stopRequested(now: now) }
    }

    /// ACTIVATING: registers every target, then lets the task become RUNNING.
    private func register(_ task: StoredTask, targets: [LoadBalancerTarget]) async -> Bool {
        let id = task.record.id
        let now = TaskLifecycle.seconds(clock())
        guard let registrar else {
            let target = targets.first ?? LoadBalancerTarget(targetGroupArn: nil, loadBalancerName: nil, address: "-", port: 0,
                                                             taskArn: task.record.arn, containerName: "-")
            return await update(id) {
                $0.registrationFailed(.unavailable("no load balancer is configured"), target: target, now: now)
            }
        }
        for target in targets {
            do {
                try await registrar.register(target)
            } catch {
                logger.warning("registering a task target failed", metadata: ["task": "\(id)", "error": "\(error)"])
                return await update(id) { $0.registrationFailed(error, target: target, now: now) }
            }
        }
        return await update(id) { $0.registered() }
    }

    /// DEACTIVATING: deregisters every target and waits for draining. A target that cannot be
    /// deregistered is logged and left to the load balancer's health checks: the task stops
    /// either way.
    private func deregister(_ task: StoredTask, targets: [LoadBalancerTarget]) async -> Bool {
        let id = task.record.id
        if let registrar {
            for target in targets {
                do {
                    try await registrar.deregister(target)
                } catch {
                    logger.warning("deregistering a task target failed", metadata: ["task": "\(id)", "error": "\(error)"])
                }
            }
        }
        return await update(id) { $0.deregistered() }
    }
}
