import ShimProtocol

/// The supervisor's view of one container while the task runs.
final class SupervisedContainer {
    enum Phase: Equatable {
        case pending
        case running(pid: Int32)
        case stopped
    }

    enum Health: String {
        case unknown = "UNKNOWN", healthy = "HEALTHY", unhealthy = "UNHEALTHY"
    }

    let plan: ContainerPlan
    var phase: Phase = .pending
    var everStarted = false
    var exitCode: Int?
    var health: Health = .unknown
    var log: LogWriter?

    /// Monotonic time the process was exec'd.
    var startedAt: Int64 = 0
    /// When SIGKILL follows the SIGTERM already sent (monotonic), nil before the stop began.
    var killAt: Int64?

    var consecutiveFailures = 0
    var nextCheckAt: Int64?
    var checkPID: Int32?
    var checkDeadline: Int64?
    var checkTimedOut = false

    init(plan: ContainerPlan) { self.plan = plan }

    var name: String { plan.name }

    var pid: Int32? {
        if case .running(let pid) = phase { return pid }
        return nil
    }

    var isStopped: Bool { phase == .stopped }
}
