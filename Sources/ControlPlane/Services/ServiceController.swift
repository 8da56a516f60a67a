import Foundation
import GRDB
import Logging
import Synchronization

/// Keeps every service at its desired count: starts tasks of the primary deployment, replaces
/// tasks that stop or fail their health checks, rolls deployments within the service's
/// minimum-healthy and maximum percentages, trips the deployment circuit breaker (and rolls
/// back), and records ECS's service events.
///
/// One pass (``reconcileAll()``) looks at each ACTIVE or DRAINING service in turn; passes run
/// one at a time, every ``interval`` and whenever a service or one of its tasks changes. All it
/// acts on is read from the store each pass, so a controller built after a restart carries on
/// where the last one stopped.
public final class ServiceController: ServiceDesiredStateObserver, Sendable {
    /// Time between passes without a signal.
    public static let interval: Duration = .milliseconds(1000)
    /// Least time between two "unable to place a task" events of one service.
    static let placementEventInterval = 60.0
    /// Task failures of a deployment within ``failureWindow`` before launches back off.
    static let backoffAfterFailures = 3
    static let failureWindow = 300.0
    /// Longest wait between launches of a deployment whose tasks keep failing.
    static let maximumBackoff = 60.0

    /// Failed tasks that trip the deployment circuit breaker of a service of `desiredCount`
    /// tasks (ECS: half the desired count, at least 3 and at most 200).
    static func circuitBreakerThreshold(desiredCount: Int) -> Int {
        min(max(3, (desiredCount + 1) / 2), 200)
    }

    let api: ECSAPI
    let targetGroups: (any TargetGroupCatalog)?
    let context: ECSRequestContext
    let logger: Logger
    let clock: @Sendable () -> Date

    /// What the controller remembers between passes; only to avoid repeating events.
    struct Memory {
        var lastPlacementEvent: [String: Double] = [:]
        var steady: [String: Bool] = [:]
    }

    let memory = Mutex(Memory())
    private let wakeups: AsyncStream<Void>
    private let wakeup: AsyncStream<Void>.Continuation
    private let tasks = Mutex<[Task<Void, Never>]>([])

    /// - Parameters:
    ///   - api: the ECS API the controller starts and stops tasks through (as RunTask and
    ///     StopTask would, with `startedBy` the deployment id and stop code
    ///     `ServiceSchedulerInitiated`).
    ///   - context: region and account of the ARNs (its `now` is replaced by `clock`).
    public init(api: ECSAPI, targetGroups: (any TargetGroupCatalog)?, context: ECSRequestContext,
                logger: Logger = Logger(label: "wharf.services"), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.api = api
        self.targetGroups = targetGroups
        self.context = context
        self.logger = logger
        self.clock = clock
        (wakeups, wakeup) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Starts the passes, and follows `taskChanges` (the task reconciler's
    /// ``TaskReconciler/stateChanges()``) for events and prompt replacement.
    public func start(taskChanges: AsyncStream<TaskStateChange>?) {
        let passes = Task { [weak self, wakeups] in
            for await _ in wakeups {
                guard let self, !Task.isCancelled else { return }
                await self.reconcileAll()
            }
        }
        let ticker = Task { [wakeup] in
            while !Task.isCancelled {
                wakeup.yield()
                try? await Task.sleep(for: Self.interval)
            }
        }
        var all = [passes, ticker]
        if let taskChanges {
            all.append(Task { [weak self, wakeup] in
                for await change in taskChanges {
                    guard let self, !Task.isCancelled else { return }
                    guard change.serviceArn != nil else { continue }
                    self.record(change)
                    wakeup.yield()
                }
            })
        }
        tasks.withLock { $0.append(contentsOf: all) }
    }

    public func serviceChanged(arn: String) {
        wakeup.yield()
    }

    /// Stops the passes (tasks keep running; the next controller adopts them).
    public func shutdown() async {
        let running = tasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        wakeup.finish()
        for task in running { task.cancel() }
        for task in running { await task.value }
    }

    /// The request context of a pass: now.
    func passContext() -> ECSRequestContext {
        var context = self.context
        context.now = clock()
        return context
    }

    /// One pass over every ACTIVE or DRAINING service.
    public func reconcileAll() async {
        let arns: [String]
        do {
            arns = try await api.store.read { db in
                try String.fetchAll(db, sql: "SELECT arn FROM service WHERE status != ? ORDER BY arn",
                                    arguments: [ECSServiceStatus.inactive])
            }
        } catch {
            logger.warning("service pass: reading services failed: \(error)")
            return
        }
        for arn in arns {
            do {
                try reconcile(arn)
            } catch {
                logger.warning("service \(arn): \(error)")
            }
        }
    }
}
