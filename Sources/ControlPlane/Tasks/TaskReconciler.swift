import Foundation
import GRDB
import Logging
import Synchronization

/// Drives every task row toward its desired status through its host's agent.
///
/// The API stores desired state first (RunTask inserts PROVISIONING rows, StopTask sets
/// `desiredStatus` STOPPED) and tells the reconciler (``TaskDesiredStateObserver``); agents tell
/// it when a task changes on its host (``ContainerAgent/statusChanges()``). Either way the
/// reconciler *drives* the task: reads the host's report, lets ``StoredTask/advance(report:now:)``
/// move the row forward in one transaction, performs the one action that names (launch, stop,
/// register, deregister) and repeats until nothing is left to do. A task is driven by one
/// worker at a time; a signal for a task being driven makes the worker go round once more.
///
/// Nothing is kept in memory that the store and the agents do not also hold, so a reconciler
/// built anew after a crash (``attach(_:containerInstanceID:)``) re-adopts running tasks from
/// their hosts, records the ones that ended meanwhile, and finishes whatever step was under way.
public final class TaskReconciler: TaskDesiredStateObserver {
    /// Delay before a task whose host or store failed is driven again.
    public static let retryDelay: Duration = .seconds(1)
    /// How often every live task is driven even without a signal (a safety net for lost events).
    public static let resyncInterval: Duration = .seconds(15)
    /// How often stopped tasks past ``TaskRetention/stoppedTaskVisibility`` are removed.
    public static let purgeInterval: Duration = .seconds(60)
    /// Steps one drive takes at most before yielding (each step is a store write or an action).
    static let maximumStepsPerDrive = 32

    let store: ECSStore
    let registrar: (any LoadBalancerRegistrar)?
    let logger: Logger
    let clock: @Sendable () -> Date

    private struct Work {
        var inFlight: Set<String> = []
        var again: Set<String> = []
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        var stopped = false
        var periodicStarted = false
    }

    private let agents = Mutex<[String: any ContainerAgent]>([:])
    private let work = Mutex(Work())
    private let subscribers = Mutex<[UUID: AsyncStream<TaskStateChange>.Continuation]>([:])
    private let background = Mutex<[Task<Void, Never>]>([])

    /// - Parameters:
    ///   - registrar: registers tasks with `loadBalancers` in their target groups; without one,
    ///     such tasks fail to start (`TaskFailedToStart`).
    ///   - clock: the time recorded where the host reports none.
    public init(store: ECSStore, registrar: (any LoadBalancerRegistrar)? = nil,
                logger: Logger = Logger(label: "wharf.tasks"), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.registrar = registrar
        self.logger = logger
        self.clock = clock
    }

    /// Makes `agent` the host of the container instance `containerInstanceID`, then recovers:
    /// drives every live task row of the instance (running tasks are adopted as they are,
    /// tasks that ended while nobody watched are recorded stopped, interrupted steps are
    /// finished), stops tasks the host runs that no row wants, and starts following the host's
    /// status changes. Returns once recovery is done.
    public func attach(_ agent: any ContainerAgent, containerInstanceID: String) async {
        agents.withLock { $0[containerInstanceID] = agent }
        let changes = agent.statusChanges()
        let follower = Task { [weak self] in
            for await report in changes { self?.signal([report.taskID]) }
        }
        background.withLock { $0.append(follower) }

        let live = (try? await store.read { db in
            try TaskRecord
                .filter(Column("containerInstanceId") == containerInstanceID)
                .filter(TaskRecord.resourceHoldingStatuses.contains(Column("lastStatus")))
                .fetchAll(db)
        }) ?? []
        await restoreRegistrations(live)
        signal(live.map(\.id))
        await stopOrphans(of: agent)
        await waitUntilIdle()
    }

    /// Registers again the targets of tasks that were in their target groups when the last
    /// daemon stopped: the load balancer runs in the daemon and starts with empty groups.
    /// (Registering is idempotent, so targets a still-running balancer holds are unchanged.)
    private func restoreRegistrations(_ tasks: [TaskRecord]) async {
        guard let registrar else { return }
        for task in tasks where task.desiredStatus == .running {
            let document = task.decodedDocument
            guard document.loadBalancerPhase == .registered else { continue }
            for target in document.loadBalancerTargets(taskArn: task.arn, address: document.address) {
                do {
                    try await registrar.register(target)
                } catch {
                    logger.warning("task \(task.id): re-registering \(target.address):\(target.port) in \(target.targetGroup) failed: \(error)")
                }
            }
        }
    }

    /// Starts the periodic resync and purge (once; later calls do nothing).
    public func start() {
        let first = work.withLock { work in
            defer { work.periodicStarted = true }
            return !work.periodicStarted && !work.stopped
        }
        guard first else { return }
        let loop = Task { [weak self] in
            var sincePurge = Duration.zero
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.resyncInterval)
                guard let self, !Task.isCancelled else { return }
                await self.resync()
                sincePurge += Self.resyncInterval
                if sincePurge >= Self.purgeInterval {
                    sincePurge = .zero
                    await self.purgeExpired()
                }
            }
        }
        background.withLock { $0.append(loop) }
    }

    /// Stops following agents and taking new work; waits for drives under way.
    public func shutdown() async {
        work.withLock { $0.stopped = true }
        let tasks = background.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        tasks.forEach { $0.cancel() }
        await waitUntilIdle()
        let continuations = subscribers.withLock { subscribers in
            defer { subscribers = [:] }
            return Array(subscribers.values)
        }
        continuations.forEach { $0.finish() }
    }

    // MARK: - Signals

    public func desiredStateChanged(taskIDs: [String]) {
        signal(taskIDs)
    }

    /// Drives each task now (or once more after the drive under way).
    func signal(_ taskIDs: [String]) {
        for id in taskIDs {
            let start = work.withLock { work -> Bool in
                guard !work.stopped else { return false }
                if work.inFlight.contains(id) {
                    work.again.insert(id)
                    return false
                }
                work.inFlight.insert(id)
                return true
            }
            if start { Task { await self.driveUntilSettled(id) } }
        }
    }

    private func driveUntilSettled(_ id: String) async {
        while true {
            await drive(id)
            let (again, waiters) = work.withLock { work -> (Bool, [CheckedContinuation<Void, Never>]) in
                if work.again.remove(id) != nil, !work.stopped { return (true, []) }
                work.inFlight.remove(id)
                guard work.inFlight.isEmpty else { return (false, []) }
                defer { work.idleWaiters = [] }
                return (false, work.idleWaiters)
            }
            waiters.forEach { $0.resume() }
            if !again { return }
        }
    }

    /// Drives the task again after ``retryDelay``.
    func retryLater(_ id: String) {
        Task { [weak self] in
            try? await Task.sleep(for: Self.retryDelay)
            self?.signal([id])
        }
    }

    /// Returns when no task is being driven.
    public func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = work.withLock { work -> Bool in
                if work.inFlight.isEmpty { return true }
                work.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Drives every live task of the attached agents' instances.
    public func resync() async {
        let instances = agents.withLock { Array($0.keys) }
        guard !instances.isEmpty else { return }
        let live = (try? await store.read { db in
            try TaskRecord
                .filter(instances.contains(Column("containerInstanceId")))
                .filter(TaskRecord.resourceHoldingStatuses.contains(Column("lastStatus")))
                .fetchAll(db).map(\.id)
        }) ?? []
        signal(live)
    }

    // MARK: - State changes

    /// Every task change the reconciler records from now on.
    public func stateChanges() -> AsyncStream<TaskStateChange> {
        let (stream, continuation) = AsyncStream<TaskStateChange>.makeStream(bufferingPolicy: .unbounded)
        let key = UUID()
        subscribers.withLock { $0[key] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { $0[key] = nil }
        }
        return stream
    }

    func publish(_ change: TaskStateChange) {
        let continuations = subscribers.withLock { Array($0.values) }
        continuations.forEach { $0.yield(change) }
    }

    func agent(forInstance id: String?) -> (any ContainerAgent)? {
        guard let id else { return nil }
        return agents.withLock { $0[id] }
    }

    // MARK: - Housekeeping

    /// Stops (and, once stopped, forgets) tasks the agent runs that no task row wants: their
    /// row is gone, or the row is stopped while the host still runs the task.
    private func stopOrphans(of agent: any ContainerAgent) async {
        guard let reports = try? await agent.taskReports() else { return }
        let ids = reports.map(\.taskID)
        let rows = (try? await store.read { db in
            try TaskRecord.filter(ids.contains(Column("id"))).fetchAll(db)
        }) ?? []
        let byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for report in reports {
            let row = byID[report.taskID]
            let wanted = row.map { $0.lastStatus.holdsResources } ?? false
            guard !wanted else { continue }
            if report.status != .stopped {
                logger.info("stopping a task no task row wants", metadata: ["task": "\(report.taskID)"])
                try? await agent.stopTask(report.taskID, reason: "Task is not known to the control plane", stopCode: "TaskFailedToStart")
            } else if row == nil {
                try? await agent.forgetTask(report.taskID)
            }
        }
    }

    /// Removes stopped tasks past their visibility and has their hosts forget them.
    public func purgeExpired() async {
        let now = TaskLifecycle.seconds(clock())
        guard let expired = try? await store.write({ db in try TaskRetention.purge(db, now: now) }) else { return }
        for task in expired {
            store.encodedTasks.forget(taskID: task.id)
            try? await agent(forInstance: task.containerInstanceId)?.forgetTask(task.id)
        }
    }
}
