import Foundation
import Registry
import Logging
import Runtime
import Synchronization

/// The agent of the host the control plane runs on: ``ContainerAgent`` over an in-process
/// ``ContainerRuntime``.
///
/// Runtime tasks get the runtime's own IDs; the agent's ledger (``LocalAgentLedger``, files in
/// `configuration.stateDirectory`) maps ECS task IDs onto them, so a new agent on the same
/// directories (a restarted daemon) knows every task again without touching it: running tasks
/// are re-adopted, not restarted, and a launch interrupted by a crash is settled when the agent
/// opens (``settleIntents(_:runtime:logger:)``).
///
/// Status changes are event-driven: ``RuntimeTaskMonitor`` wakes on inotify when a task's
/// supervisor records anything, and the agent then reads the task's status and emits a report if
/// it changed. Blocking runtime calls run on ``BlockingRunner`` threads.
public final class LocalAgent: ContainerAgent {
    public let runtime: ContainerRuntime
    public let configuration: LocalAgentConfiguration
    let logger: Logger
    /// Launches, stops and removals: the calls that change a host.
    private let runner: BlockingRunner
    /// Status reads, apart from ``runner``: a report (a few small files read) never waits
    /// behind launches that take tens of milliseconds each, so a task that started is
    /// recorded RUNNING while other launches are still under way.
    private let statusRunner: BlockingRunner
    /// One per agent: concurrent pulls of one image or layer download it once.
    private let puller: ImagePuller
    private let monitor: RuntimeTaskMonitor
    /// Reads the secrets containers' `repositoryCredentials` name.
    private let registrySecrets: RepositoryCredentialsResolver

    private struct State {
        var ledger: LocalAgentLedger
        /// The last report emitted per task, to emit only changes.
        var lastReports: [String: AgentTaskReport] = [:]
        var continuation: AsyncStream<AgentTaskReport>.Continuation?
        /// Launches under way, so a second start of the same task waits for the first.
        var launching: [String: DispatchGroup] = [:]
    }

    private let state: Mutex<State>
    /// The ledger's files, written outside `state`'s lock (see ``LocalAgentLedger``).
    private let ledgerFiles: LocalAgentLedger.Files

    /// Opens the agent's records and starts following every task it knows that is not stopped.
    /// `secrets` is where containers' `repositoryCredentials` are read; without it a task that
    /// has them stops with ResourceInitializationError.
    public init(runtime: ContainerRuntime, configuration: LocalAgentConfiguration,
                secrets: (any RegistrySecretSource)? = nil,
                logger: Logger = Logger(label: "wharf.agent")) throws(AgentError) {
        self.runtime = runtime
        self.configuration = configuration
        self.logger = logger
        registrySecrets = RepositoryCredentialsResolver(source: secrets)
        do {
            runner = try BlockingRunner(label: "wharf-agent-runtime", width: configuration.runtimeConcurrency)
            statusRunner = try BlockingRunner(label: "wharf-agent-status", width: LocalAgentConfiguration.statusReadConcurrency)
        } catch {
            throw .hostInspection(step: "starting the agent's runtime threads", message: "\(error)")
        }
        var registries = RegistryConfiguration()
        if let file = configuration.registriesFile {
            do {
                registries = try RegistryConfiguration.load(path: file)
            } catch {
                throw .hostInspection(step: "reading registry settings \(file)", message: "\(error)")
            }
        }
        puller = ImagePuller(store: runtime.images, configuration: registries, logger: logger)
        var ledger = try LocalAgentLedger(stateDirectory: configuration.stateDirectory)
        Self.settleIntents(&ledger, runtime: runtime, logger: logger)
        ledgerFiles = ledger.files
        state = Mutex(State(ledger: ledger))
        let sweepInterval = runtime.reportsSupervisorExits
            ? configuration.sweepInterval
            : min(configuration.sweepInterval, LocalAgentConfiguration.sweepIntervalWithoutExitReports)
        monitor = try RuntimeTaskMonitor(tasksDirectory: runtime.configuration.tasksDirectory, sweepInterval: sweepInterval)
        var followed: [String] = []
        for entry in ledger.entries.values {
            guard let runtimeID = entry.runtimeTaskID,
                  let status = try? runtime.status(of: runtimeID), status.lastStatus != "STOPPED"
            else { continue }
            monitor.watch(runtimeID)
            followed.append(runtimeID)
        }
        monitor.start { [weak self] runtimeIDs, sweep in self?.refresh(runtimeIDs, sweep: sweep) }
        // Supervisors' exits from now on; one that cannot be followed (it may be dead already)
        // is looked at at once.
        runtime.onSupervisorExit { [weak self] runtimeID in self?.supervisorExited(runtimeID) }
        for runtimeID in followed where !runtime.followSupervisor(of: runtimeID) {
            monitor.supervisorExited(runtimeID)
        }
    }

    /// A supervisor exited: its task is looked at unless its stop was reported already (a
    /// supervisor exits last thing after recording the stop, which its events reported).
    private func supervisorExited(_ runtimeID: String) {
        let reportedStopped = state.withLock { state in
            state.ledger.taskID(forRuntimeTask: runtimeID).flatMap { state.lastReports[$0] }?.status == .stopped
        }
        if !reportedStopped { monitor.supervisorExited(runtimeID) }
    }

    deinit {
        monitor.shutdown()
    }

    /// Stops following tasks and finishes the status stream. Tasks keep running.
    public func shutdown() {
        runtime.onSupervisorExit(nil)
        monitor.shutdown()
        let continuation = state.withLock { state in
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.finish()
    }

    // MARK: - ContainerAgent

    public func describeHost() async throws(AgentError) -> AgentHostDescription {
        try LocalHostFacts.describe(configuration)
    }

    public func startTask(_ request: AgentTaskStart) async throws(AgentError) -> AgentTaskReport {
        try await runner.run { [self] () -> Result<AgentTaskReport, AgentError> in
            Result { () throws(AgentError) in try startBlocking(request) }
        }
    }

    public func stopTask(_ taskID: String, reason: String, stopCode: String) async throws(AgentError) {
        try await runner.run { [self] () -> Result<Void, AgentError> in
            Result { () throws(AgentError) in
                guard let runtimeID = resolve(taskID) else { throw AgentError.taskNotFound(taskID: taskID) }
                do throws(RuntimeError) {
                    try runtime.stop(runtimeID, reason: reason, code: stopCode)
                } catch .taskNotFound {
                    throw AgentError.taskNotFound(taskID: taskID)
                } catch {
                    throw AgentError.stopFailed(taskID: taskID, message: error.description)
                }
            }
        }
    }

    public func taskReport(_ taskID: String) async throws(AgentError) -> AgentTaskReport? {
        try await statusRunner.run { [self] () -> Result<AgentTaskReport?, AgentError> in
            .success(resolve(taskID).flatMap { currentReport(taskID: taskID, runtimeID: $0) })
        }
    }

    public func taskReports() async throws(AgentError) -> [AgentTaskReport] {
        try await statusRunner.run { [self] () -> Result<[AgentTaskReport], AgentError> in
            let mapped = state.withLock { state in
                state.ledger.entries.values.compactMap { entry in entry.runtimeTaskID.map { (entry.taskID, $0) } }
            }
            return .success(mapped.compactMap { currentReport(taskID: $0.0, runtimeID: $0.1) }
                .sorted { $0.createdAt < $1.createdAt })
        }
    }

    public func forgetTask(_ taskID: String) async throws(AgentError) {
        try await runner.run { [self] () -> Result<Void, AgentError> in
            Result { () throws(AgentError) in
                if let runtimeID = resolve(taskID) {
                    do throws(RuntimeError) {
                        try runtime.remove(runtimeID)
                    } catch .taskNotStopped {
                        throw AgentError.taskNotStopped(taskID: taskID)
                    } catch .taskNotFound {
                        // Already gone from the runtime: only the ledger entry is left.
                    } catch {
                        throw AgentError.ledger(step: "remove the runtime task \(runtimeID)", path: runtime.configuration.tasksDirectory,
                                                message: error.description)
                    }
                    monitor.unwatch(runtimeID)
                }
                try ledgerFiles.remove(taskID)
                state.withLock { state in
                    state.ledger.forget(taskID)
                    state.lastReports[taskID] = nil
                }
            }
        }
    }

    public func statusChanges() -> AsyncStream<AgentTaskReport> {
        let (stream, continuation) = AsyncStream<AgentTaskReport>.makeStream(bufferingPolicy: .unbounded)
        let previous = state.withLock { state in
            defer { state.continuation = continuation }
            return state.continuation
        }
        previous?.finish()
        return stream
    }

    // MARK: - Launch

    private func startBlocking(_ request: AgentTaskStart) throws(AgentError) -> AgentTaskReport {
        let taskID = request.taskID
        guard ECSResourceID.isWellFormed(taskID), !taskID.contains("-") else {
            throw .launchRefused(taskID: taskID, stoppedReason: "ResourceInitializationError: invalid task ID \(taskID)")
        }
        // One launch per task at a time: a second caller waits for the first and gets its report.
        let (group, owner) = state.withLock { state -> (DispatchGroup, Bool) in
            if let running = state.launching[taskID] { return (running, false) }
            let group = DispatchGroup()
            group.enter()
            state.launching[taskID] = group
            return (group, true)
        }
        guard owner else {
            group.wait()
            guard let runtimeID = resolve(taskID), let report = currentReport(taskID: taskID, runtimeID: runtimeID) else {
                throw .launchRefused(taskID: taskID, stoppedReason: "ResourceInitializationError: the concurrent launch of this task failed")
            }
            return report
        }
        defer {
            state.withLock { state in state.launching[taskID] = nil }
            group.leave()
        }
        if let runtimeID = resolve(taskID), let report = currentReport(taskID: taskID, runtimeID: runtimeID) {
            monitor.watch(runtimeID)
            return report
        }

        var spec: TaskSpec
        do {
            spec = try request.taskDefinition.taskSpec(revision: request.taskDefinition.revision, overrides: request.overrides)
            spec.labels = ECSTaskLabels.labels(for: request)
        } catch {
            throw .launchRefused(taskID: taskID, stoppedReason: "CannotCreateContainerError: \(error.message)")
        }
        let label = spec.taskDefinition ?? request.familyAndRevision
        // Registry credentials, then images (ECS's pull phase): a task whose image cannot be had
        // never launches.
        let pullStartedAt = Date().timeIntervalSince1970
        let credentials: [String: RegistryCredentials]
        do {
            credentials = try registrySecrets.credentials(for: request.taskDefinition)
        } catch {
            throw .launchRefused(taskID: taskID, stoppedReason: error.stoppedReason)
        }
        for image in Set(spec.containers.map(\.image)) {
            do {
                _ = try puller.ensureImage(image, policy: configuration.imagePullBehavior, credentials: credentials[image])
            } catch {
                throw .launchRefused(taskID: taskID, stoppedReason: "CannotPullContainerError: \(error.cannotPullContainerReason)")
            }
        }
        let intent = LocalAgentLedger.Entry(taskID: taskID, runtimeTaskID: nil, familyAndRevision: label,
                                            intentAt: Date().timeIntervalSince1970, pullStartedAt: pullStartedAt,
                                            pullStoppedAt: Date().timeIntervalSince1970)
        // The ledger's files are written outside the lock: a write must not hold up the
        // other launches' and the monitor's lookups.
        try ledgerFiles.write(intent)
        state.withLock { state in state.ledger.record(intent) }

        let launched: TaskStatus
        do {
            launched = try runtime.launch(spec)
        } catch {
            try? ledgerFiles.remove(taskID)
            state.withLock { state in state.ledger.forget(taskID) }
            throw .launchRefused(taskID: taskID, stoppedReason: Self.stoppedReason(launchError: error))
        }
        var entry = intent
        entry.runtimeTaskID = launched.id
        do {
            try ledgerFiles.write(entry)
        } catch {
            // The task runs but could not be recorded: stop it rather than leave it unowned.
            try? runtime.stop(launched.id, reason: "Agent could not record the task", code: "TaskFailedToStart")
            throw error
        }
        state.withLock { state in state.ledger.record(entry) }
        monitor.watch(launched.id)
        // A supervisor that died before the entry above was recorded had its exit reported
        // for a task the agent did not know yet: look at it now.
        if !runtime.followSupervisor(of: launched.id) { monitor.supervisorExited(launched.id) }
        logger.debug("started task", metadata: ["task": "\(taskID)", "runtimeTask": "\(launched.id)"])
        // Read again: the containers may have started while the ledger was written.
        let report = currentReport(taskID: taskID, runtimeID: launched.id) ?? Self.report(taskID: taskID, status: launched)
        state.withLock { state in state.lastReports[taskID] = report }
        return report
    }

    /// The runtime task of `taskID`, if the agent launched one for it.
    private func resolve(_ taskID: String) -> String? {
        state.withLock { $0.ledger.entries[taskID]?.runtimeTaskID }
    }

    // MARK: - Following tasks

    /// The report of a runtime task now; nil if the runtime no longer has it.
    private func currentReport(taskID: String, runtimeID: String) -> AgentTaskReport? {
        guard let status = try? runtime.status(of: runtimeID) else { return nil }
        var report = Self.report(taskID: taskID, status: status)
        if let entry = state.withLock({ $0.ledger.entries[taskID] }) {
            report.pullStartedAt = entry.pullStartedAt.map { Date(timeIntervalSince1970: $0) }
            report.pullStoppedAt = entry.pullStoppedAt.map { Date(timeIntervalSince1970: $0) }
        }
        return report
    }

    /// Called by the monitor (its thread for events, its sweep queue for sweeps, possibly at
    /// once): reads the tasks that changed and emits the reports that differ from the last
    /// ones emitted. Reports are signals; the reconciler reads the task afresh before acting.
    private func refresh(_ runtimeIDs: [String], sweep: Bool) {
        for runtimeID in runtimeIDs {
            guard let taskID = state.withLock({ $0.ledger.taskID(forRuntimeTask: runtimeID) }) else {
                monitor.unwatch(runtimeID)
                continue
            }
            if sweep {
                // Finishes the record of a task whose supervisor died (it records nothing itself):
                // the runtime's wait notices the dead supervisor and records the task stopped.
                // A wait that times out at once found the task not stopped and its supervisor
                // alive: the supervisor records every change, and the monitor's events report
                // it, so a thousand live tasks are not each read a second time every sweep.
                do throws(RuntimeError) {
                    _ = try runtime.wait(runtimeID, timeout: 0, description: "the sweep")
                } catch .timedOut {
                    continue
                } catch {
                    // Gone, or unreadable: the report below says which.
                }
            }
            guard let report = currentReport(taskID: taskID, runtimeID: runtimeID) else {
                monitor.unwatch(runtimeID)
                continue
            }
            if report.status == .stopped { monitor.unwatch(runtimeID) }
            let continuation = state.withLock { state -> AsyncStream<AgentTaskReport>.Continuation? in
                guard state.lastReports[taskID] != report else { return nil }
                state.lastReports[taskID] = report
                return state.continuation
            }
            continuation?.yield(report)
        }
    }
}
