import Autoscaler
import Foundation
import Logging
import Synchronization

/// The scaling loop: every second it reads the scalable targets, policies and scheduled
/// actions from the store, runs due scheduled actions, reads each service's counts and the
/// metrics its policies watch, asks its ``Autoscaler/TargetScaler`` for a decision, applies
/// it through the ``ECSServiceDirectory`` and records the activity
/// (InProgress, then Successful or Failed).
///
/// ``start()`` runs ``tick(at:)`` on a thread of its own every second until ``stop()``;
/// tests call ``tick(at:)`` directly with a fake clock. The directory and the metric source
/// are called from that thread and may block.
public final class AutoScalingController: Sendable {
    /// Seconds between ticks.
    public static let tickIntervalSeconds = 1.0

    private struct State: Sendable {
        var scalers: [String: TargetScaler] = [:]
        var parsed = ParsedConfigurations()
        var lastTick: Date?
    }

    private enum Loop: Sendable {
        case idle
        case running
        case stopping
    }

    private let store: AutoScalingStore
    private let directory: any ECSServiceDirectory
    private let metrics: any ScalingMetricSource
    private let tuning: TargetTrackingTuning
    private let clock: @Sendable () -> Date
    private let logger: Logger
    private let state = Mutex(State())
    private let loop = Mutex(Loop.idle)
    private let wakeup = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - tuning: how target-tracking policies react (Wharf's knobs: windows, tolerances,
    ///     the scale-in stabilization window).
    ///   - clock: the time each tick of the thread is given.
    public init(
        store: AutoScalingStore, directory: any ECSServiceDirectory, metrics: any ScalingMetricSource,
        tuning: TargetTrackingTuning = .standard, logger: Logger = Logger(label: "wharf.autoscaling"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.directory = directory
        self.metrics = metrics
        self.tuning = tuning
        self.logger = logger
        self.clock = clock
    }

    /// Starts the loop's thread (no effect when it runs already).
    public func start() {
        let shouldStart = loop.withLock { loop -> Bool in
            guard case .idle = loop else { return false }
            loop = .running
            return true
        }
        guard shouldStart else { return }
        let thread = Thread { [self] in run() }
        thread.name = "wharf-autoscaling"
        thread.start()
    }

    /// Stops the loop and waits for its thread to finish its tick.
    public func stop() {
        let wasRunning = loop.withLock { loop -> Bool in
            guard case .running = loop else { return false }
            loop = .stopping
            return true
        }
        guard wasRunning else { return }
        wakeup.signal()
        finished.wait()
        loop.withLock { $0 = .idle }
    }

    private func run() {
        while loop.withLock({ if case .running = $0 { return true } else { return false } }) {
            let started = clock()
            tick(at: started)
            let elapsed = clock().timeIntervalSince(started)
            let pause = max(0, Self.tickIntervalSeconds - elapsed)
            _ = wakeup.wait(timeout: .now() + pause)
        }
        finished.signal()
    }

    /// The most recent activities of every target, newest first.
    public func recentActivities(limit: Int = 50) -> [ScalingActivity] {
        (try? store.activities(limit: limit)) ?? []
    }

    /// One evaluation of every scalable target at `now`.
    public func tick(at now: Date) {
        let snapshot: (targets: [ScalableTargetRecord], policies: [ScalingPolicyRecord], actions: [ScheduledActionRecord])
        do {
            snapshot = try store.read { db in
                (try store.targets(db), try store.records(ScalingPolicyRecord.self, db, resourceID: nil),
                 try store.records(ScheduledActionRecord.self, db, resourceID: nil))
            }
        } catch {
            logger.error("autoscaling: reading the store failed", metadata: ["error": "\(error)"])
            return
        }
        let tuning = self.tuning
        let (previousTick, parsed, failures) = state.withLock { state in
            let previous = state.lastTick ?? now.addingTimeInterval(-Self.tickIntervalSeconds)
            state.lastTick = now
            let live = Set(snapshot.targets.map(\.resourceID))
            state.scalers = state.scalers.filter { live.contains($0.key) }
            let failures = state.parsed.refresh(policies: snapshot.policies, actions: snapshot.actions, tuning: tuning)
            return (previous, state.parsed, failures)
        }
        for failure in failures {
            logger.error("autoscaling: a stored configuration does not parse; it is ignored until it is put again",
                         metadata: ["arn": "\(failure.arn)", "error": "\(failure.reason)"])
        }
        for var target in snapshot.targets {
            if !target.scheduledScalingSuspended {
                target = runScheduledActions(
                    snapshot.actions.filter { $0.resourceID == target.resourceID }, schedules: parsed,
                    on: target, after: previousTick, through: now)
            }
            let records = snapshot.policies.filter { $0.resourceID == target.resourceID }
            evaluate(target, records: records, policies: records.compactMap { parsed.policy(arn: $0.arn) }, at: now)
        }
    }

    private func evaluate(
        _ target: ScalableTargetRecord, records: [ScalingPolicyRecord], policies: [ScalingPolicy], at now: Date
    ) {
        guard let service = target.service else { return }
        let capacity: CapacitySnapshot
        do {
            guard let found = try directory.capacity(of: service) else { return }
            capacity = found
        } catch {
            logger.warning("autoscaling: reading the service's counts failed", metadata: ["service": "\(service)", "error": "\(error)"])
            return
        }
        var readings = MetricReadings()
        for metric in Set(policies.flatMap(\.metrics)) {
            readings[metric] = metrics.reading(of: metric, for: service, at: now)
        }
        let instant = Instant(secondsSinceEpoch: now.timeIntervalSince1970)

        let decision = state.withLock { state -> ScalingDecision? in
            var scaler = state.scalers[target.resourceID] ?? TargetScaler()
            let decision = scaler.evaluate(
                policies: policies, readings: readings, capacity: capacity, bounds: target.bounds,
                suspension: target.suspension, at: instant)
            state.scalers[target.resourceID] = scaler
            return decision
        }
        guard let decision else { return }
        apply(decision, to: service, capacity: capacity, policies: records, at: now)
    }

    private func apply(
        _ decision: ScalingDecision, to service: ECSServiceReference, capacity: CapacitySnapshot,
        policies: [ScalingPolicyRecord], at now: Date
    ) {
        let cause = ActivityText.cause(decision) { reason in
            Self.alarmName(for: reason, service: service, policies: policies)
        }
        var activity = ScalingActivity(
            activityID: UUID().uuidString.lowercased(), resourceID: service.resourceID,
            description: ActivityText.setting(decision.newDesired), cause: cause, status: .inProgress,
            startTime: now.timeIntervalSince1970, details: ActivityText.details(decision, capacity: capacity))
        record(activity)
        do {
            try directory.setDesiredCount(decision.newDesired, of: service, cause: cause)
            activity.status = .successful
            activity.statusMessage = ActivityText.succeeded(decision.newDesired)
            logger.info("autoscaling: \(activity.description)", metadata: ["service": "\(service)", "cause": "\(cause)"])
        } catch {
            activity.status = .failed
            activity.statusMessage = ActivityText.failed(decision.newDesired, error)
            logger.warning("autoscaling: \(activity.statusMessage ?? "")", metadata: ["service": "\(service)"])
        }
        activity.endTime = clock().timeIntervalSince1970
        if activity.endTime ?? 0 < activity.startTime { activity.endTime = activity.startTime }
        record(activity)
    }

    /// The alarm a reason stands for: the target-tracking policy's AlarmHigh or AlarmLow as
    /// PutScalingPolicy named them; for step policies Wharf's own alarm name.
    static func alarmName(for reason: ScalingReason, service: ECSServiceReference, policies: [ScalingPolicyRecord]) -> String {
        let side = reason.alarm.rawValue
        if let policy = policies.first(where: { $0.name == reason.policyName }),
           let alarm = policy.alarms.first(where: { $0.name.contains("-\(side)-") })
        {
            return alarm.name
        }
        return "Wharf-StepScaling-\(service.resourceID)-\(reason.policyName)-\(side)"
    }

    /// Runs the actions due in `(after, through]` in the order they fell due; returns the
    /// target with the bounds they set.
    private func runScheduledActions(
        _ actions: [ScheduledActionRecord], schedules: ParsedConfigurations, on target: ScalableTargetRecord,
        after start: Date, through end: Date
    ) -> ScalableTargetRecord {
        let from = Instant(secondsSinceEpoch: start.timeIntervalSince1970)
        let to = Instant(secondsSinceEpoch: end.timeIntervalSince1970)
        var due: [(time: Instant, action: ScheduledActionRecord)] = []
        for action in actions {
            guard let expression = schedules.schedule(arn: action.arn) else { continue }
            let anchor = Instant(secondsSinceEpoch: action.startTime ?? action.creationTime)
            guard let fire = expression.lastFire(after: from, through: to, anchor: anchor) else { continue }
            if let startTime = action.startTime, fire.secondsSinceEpoch < startTime { continue }
            if let endTime = action.endTime, fire.secondsSinceEpoch > endTime { continue }
            due.append((fire, action))
        }
        var target = target
        for (fire, action) in due.sorted(by: { $0.time < $1.time }) {
            let minimum = action.minCapacity ?? target.minCapacity
            let maximum = action.maxCapacity ?? target.maxCapacity
            var activity = ScalingActivity(
                activityID: UUID().uuidString.lowercased(), resourceID: target.resourceID,
                description: ActivityText.settingBounds(minimum: minimum, maximum: maximum),
                cause: ActivityText.scheduled(name: action.name), status: .inProgress,
                startTime: fire.secondsSinceEpoch)
            if minimum > maximum {
                activity.status = .failed
                activity.statusMessage = "Minimum capacity (\(minimum)) cannot be greater than maximum capacity (\(maximum))"
            } else {
                var updated = target
                updated.minCapacity = minimum
                updated.maxCapacity = maximum
                do {
                    try store.write { db in
                        // The target may have been deregistered or updated since the tick read it.
                        guard var current = try store.target(db, resourceID: updated.resourceID) else { return }
                        current.minCapacity = minimum
                        current.maxCapacity = maximum
                        try store.save(current, db)
                        updated = current
                    }
                    target = updated
                    activity.status = .successful
                    activity.statusMessage = "Successfully set min capacity to \(minimum) and max capacity to \(maximum)"
                } catch {
                    activity.status = .failed
                    activity.statusMessage = "Failed to set min capacity to \(minimum) and max capacity to \(maximum). Reason: \(error)"
                }
            }
            activity.endTime = end.timeIntervalSince1970
            record(activity)
        }
        return target
    }

    private func record(_ activity: ScalingActivity) {
        do {
            try store.save(activity)
        } catch {
            logger.error("autoscaling: recording an activity failed", metadata: ["error": "\(error)"])
        }
    }
}
