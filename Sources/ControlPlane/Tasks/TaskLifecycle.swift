import Foundation

/// What the reconciler does next for one task, outside any transaction.
enum TaskAction: Equatable, Sendable {
    /// Nothing: the task is where its host's report puts it, or it waits for the host.
    case none
    /// Start it on its host (agent `startTask`, idempotent).
    case launch
    /// Ask its host to stop it.
    case stop(reason: String, code: String)
    /// ACTIVATING: register its targets, then record RUNNING.
    case register([LoadBalancerTarget])
    /// DEACTIVATING: deregister its targets and wait for draining, then go on stopping.
    case deregister([LoadBalancerTarget])
}

/// A task row with its document: the unit the lifecycle moves.
struct StoredTask: Equatable, Sendable {
    var record: TaskRecord
    var document: TaskDocument

    init(record: TaskRecord, document: TaskDocument) {
        self.record = record
        self.document = document
    }

    init(_ record: TaskRecord) {
        self.init(record: record, document: record.decodedDocument)
    }
}

/// ECS's task lifecycle driven by what the host reports: PROVISIONING → PENDING → ACTIVATING →
/// RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED.
///
/// ``StoredTask/advance(report:now:)`` is a pure function of the stored task, the host's report
/// and the clock: it moves `lastStatus` forward only (never back), copies what the host knows
/// (containers, address, health, timestamps) into the task, and names the one action to take
/// next. The reconciler commits the change, acts, and asks again, so a crash between any two
/// steps resumes at the same place: every action is idempotent.
///
/// | host reports                | task wants RUNNING                        | task wants STOPPED (or host stops it)         |
/// |-----------------------------|-------------------------------------------|-----------------------------------------------|
/// | nothing                     | PROVISIONING: launch                      | STOPPED (never started, or lost)              |
/// | PENDING                     | PENDING                                   | stop                                          |
/// | RUNNING                     | RUNNING (via ACTIVATING: register)        | DEACTIVATING: deregister, then stop           |
/// | STOPPING                    | —                                         | STOPPING (DEACTIVATING first if registered)   |
/// | STOPPING, containers exited | —                                         | DEPROVISIONING                                |
/// | STOPPED                     | —                                         | STOPPED                                       |
///
/// Tasks without `loadBalancers` never enter ACTIVATING or DEACTIVATING.
enum TaskLifecycle {
    /// Seconds after which a stop the host has not acted on is asked for again.
    static let stopRetryInterval = 10.0
    /// `stoppedReason` of a StopTask without a reason.
    static let defaultStopReason = "Task stopped by user"
    /// `stoppedReason` of a task whose host no longer knows it.
    static let lostTaskReason = "Task stopped because its container instance no longer reports it"
    /// `stoppedReason` ECS records when an essential container exits (the supervisor writes it).
    static let essentialContainerExitedReason = "Essential container in task exited"

    /// Seconds since the epoch to the millisecond, as ECS reports timestamps.
    static func seconds(_ date: Date) -> Double {
        (date.timeIntervalSince1970 * 1000).rounded() / 1000
    }
}

extension StoredTask {
    /// Moves the task as far as `report` (nil: the host does not know the task) allows and
    /// returns the action to take next.
    mutating func advance(report: AgentTaskReport?, now: Double) -> TaskAction {
        guard record.lastStatus.holdsResources else { return .none }
        guard let report else { return advanceUnknown(now: now) }

        observe(report)
        if record.lastStatus == .provisioning { move(to: .pending, now: now) }
        let observed = Self.phase(of: report)

        if record.desiredStatus == .stopped || observed.rank >= ECSTaskStatus.stopping.rank {
            wantStopped(report: report, now: now)
            if document.needsDeregistration {
                move(to: .deactivating, now: now)
                return .deregister(targets(address: report.address ?? document.address))
            }
            if observed.rank < ECSTaskStatus.stopping.rank {
                if let asked = document.stopRequestedAt, now - asked < TaskLifecycle.stopRetryInterval { return .none }
                return .stop(reason: record.stoppedReason ?? TaskLifecycle.defaultStopReason,
                             code: record.stopCode ?? "UserInitiated")
            }
            move(to: observed, now: now, report: report)
            return .none
        }

        guard observed == .running else { return .none }
        if !document.loadBalancers.isEmpty && document.loadBalancerPhase != .registered {
            move(to: .activating, now: now)
            document.loadBalancerPhase = .registering
            return .register(targets(address: report.address ?? document.address))
        }
        move(to: .running, now: now, report: report)
        return .none
    }

    /// The host does not know the task: launch it if it was never launched and is wanted,
    /// otherwise record it stopped (after taking its targets out of their target groups).
    private mutating func advanceUnknown(now: Double) -> TaskAction {
        if record.lastStatus == .provisioning && record.desiredStatus == .running { return .launch }
        if document.needsDeregistration {
            move(to: .deactivating, now: now)
            return .deregister(targets(address: document.address))
        }
        let neverStarted = record.lastStatus == .provisioning
        recordStopped(code: neverStarted ? "TaskFailedToStart" : "EssentialContainerExited",
                      reason: neverStarted ? "Task was stopped before it started" : TaskLifecycle.lostTaskReason,
                      containerReason: { ran in ran ? TaskLifecycle.lostTaskReason : nil }, now: now)
        return .none
    }

    /// Records the task STOPPED at `now` without a report from its host: the stop code and
    /// reason (unless a stop already gave them), every container not yet stopped marked stopped
    /// with `containerReason(ranBefore)`, the stop timestamps and the attachment deleted.
    private mutating func recordStopped(code: String, reason: String, containerReason: (_ ran: Bool) -> String?, now: Double) {
        record.desiredStatus = .stopped
        if record.stopCode == nil {
            record.stopCode = code
            record.stoppedReason = reason
        }
        for index in document.containers.indices where document.containers[index].lastStatus != "STOPPED" {
            let ran = document.containers[index].lastStatus == "RUNNING"
            document.containers[index].lastStatus = "STOPPED"
            document.containers[index].reason = document.containers[index].reason ?? containerReason(ran)
        }
        record.stoppingAt = record.stoppingAt ?? now
        document.executionStoppedAt = document.executionStoppedAt ?? now
        record.stoppedAt = now
        record.lastStatus = .stopped
        document.attachment?.status = "DELETED"
    }

    /// The ECS state a report corresponds to.
    static func phase(of report: AgentTaskReport) -> ECSTaskStatus {
        switch report.status {
        case .pending: .pending
        case .running: .running
        case .stopping: report.allContainersStopped ? .deprovisioning : .stopping
        case .stopped: .stopped
        }
    }

    /// Copies what the host knows into the task (not its status).
    private mutating func observe(_ report: AgentTaskReport) {
        document.runtimeTaskID = report.runtimeTaskID
        document.connectivityAt = document.connectivityAt ?? TaskLifecycle.seconds(report.createdAt)
        if let address = report.address {
            document.address = address
            document.attachment?.privateIPv4Address = address
        }
        if let mac = report.macAddress, document.attachment != nil { document.attachment?.macAddress = mac }
        if let hostname = report.hostname {
            document.hostname = hostname
            if document.attachment != nil { document.attachment?.privateDnsName = hostname }
        }
        document.pullStartedAt = document.pullStartedAt ?? TaskLifecycle.seconds(report.pullStartedAt ?? report.createdAt)
        if let ready = report.pullStoppedAt ?? report.networkReadyAt {
            document.pullStoppedAt = document.pullStoppedAt ?? TaskLifecycle.seconds(ready)
        }
        for index in document.containers.indices {
            guard let reported = report.container(named: document.containers[index].name) else { continue }
            document.containers[index].lastStatus = reported.lastStatus.rawValue
            document.containers[index].exitCode = reported.exitCode
            document.containers[index].reason = reported.reason
            document.containers[index].healthStatus = reported.healthStatus
            if let digest = reported.imageDigest { document.containers[index].imageDigest = digest }
            // Bridge mode: the host ports the host published, dynamic ones included.
            if !reported.networkBindings.isEmpty {
                document.containers[index].portMappings = reported.networkBindings.map {
                    TaskPortMapping(containerPort: $0.containerPort, hostPort: $0.hostPort, transport: $0.transport)
                }
            }
        }
        document.healthStatus = Self.health(of: report)
        if let stopped = report.executionStoppedAt { document.executionStoppedAt = TaskLifecycle.seconds(stopped) }
    }

    /// ECS's task health: UNHEALTHY if an essential container is, else UNKNOWN if an essential
    /// container is (or has no health check), else HEALTHY.
    static func health(of report: AgentTaskReport) -> String {
        let essential = report.containers.filter(\.essential).map(\.healthStatus)
        if essential.contains("UNHEALTHY") { return "UNHEALTHY" }
        if essential.isEmpty || essential.contains(where: { $0 != "HEALTHY" }) { return "UNKNOWN" }
        return "HEALTHY"
    }

    /// Records that the task is to stop, with the reason the StopTask gave or, when the host
    /// stopped it on its own, the host's.
    private mutating func wantStopped(report: AgentTaskReport, now: Double) {
        record.desiredStatus = .stopped
        if record.stopCode == nil {
            record.stopCode = report.stopCode ?? "EssentialContainerExited"
            record.stoppedReason = report.stoppedReason ?? TaskLifecycle.essentialContainerExitedReason
        }
        record.stoppingAt = record.stoppingAt ?? report.stoppingAt.map(TaskLifecycle.seconds) ?? now
    }

    /// Moves `lastStatus` forward to `status` (never back), with the timestamps of the move.
    private mutating func move(to status: ECSTaskStatus, now: Double, report: AgentTaskReport? = nil) {
        guard status.rank > record.lastStatus.rank else { return }
        record.lastStatus = status
        switch status {
        case .pending, .activating:
            if document.attachment?.status == "PRECREATED" { document.attachment?.status = "ATTACHED" }
        case .running:
            record.startedAt = record.startedAt ?? report?.startedAt.map(TaskLifecycle.seconds) ?? now
            if document.attachment?.status == "PRECREATED" { document.attachment?.status = "ATTACHED" }
        case .deprovisioning:
            document.attachment?.status = "DETACHING"
        case .stopped:
            record.stoppedAt = report?.stoppedAt.map(TaskLifecycle.seconds) ?? now
            record.stoppingAt = record.stoppingAt ?? record.stoppedAt
            document.executionStoppedAt = document.executionStoppedAt ?? record.stoppedAt
            document.attachment?.status = "DELETED"
        default:
            break
        }
    }

    /// The task's load balancer targets at `address`.
    func targets(address: String?) -> [LoadBalancerTarget] {
        document.loadBalancerTargets(taskArn: record.arn, address: address)
    }

    // MARK: - Outcomes of actions

    /// The host refused to start the task: it stops with `TaskFailedToStart` and the host's reason.
    mutating func failLaunch(stoppedReason: String, now: Double) {
        recordStopped(code: "TaskFailedToStart", reason: stoppedReason, containerReason: { _ in stoppedReason }, now: now)
    }

    /// The host accepted a stop request: the task is STOPPING.
    mutating func stopRequested(now: Double) {
        document.stopRequestedAt = now
        move(to: .stopping, now: now)
    }

    /// Every target is registered.
    mutating func registered() {
        document.loadBalancerPhase = .registered
    }

    /// Registering failed: the task stops with `TaskFailedToStart` (its targets are then
    /// deregistered, as far as they were registered).
    mutating func registrationFailed(_ error: LoadBalancerRegistrationError, target: LoadBalancerTarget, now: Double) {
        record.desiredStatus = .stopped
        if record.stopCode == nil {
            record.stopCode = "TaskFailedToStart"
            record.stoppedReason = "ResourceInitializationError: failed to register the task in \(target.targetGroup): \(error)"
        }
        record.stoppingAt = record.stoppingAt ?? now
    }

    /// Targets deregistered and drained (or given up on).
    mutating func deregistered() {
        document.loadBalancerPhase = .deregistered
    }
}
