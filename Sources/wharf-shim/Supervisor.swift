import CWharfLaunch
import LinuxHost
import ShimProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Runs one task to its end: starts containers as their dependencies allow, pumps their logs,
/// runs their health checks, applies the essential-container rule, stops them with SIGTERM then
/// SIGKILL after their stop timeout, and records every change in the task's event log.
///
/// Single-threaded: one poll loop over a signalfd and the containers' output pipes, with the
/// next timer (health check, check timeout, kill deadline) as the poll timeout.
final class Supervisor {
    let plan: SupervisorPlan
    let layout: TaskLayout
    let launcher: ContainerLauncher
    let events: EventLog
    let signals: SignalSource
    var containers: [SupervisedContainer]
    /// Set once the task began stopping: ECS's stoppedReason and stopCode.
    var stopping: (reason: String, code: String)?
    /// The task cgroup's OOM kill count already attributed to a container.
    var taskOOMKillsSeen = 0
    /// Containers prepared before the start message, by name, until started or abandoned.
    var prepared: [String: PreparedContainer]

    /// `prepared` are containers of `plan` prepared ahead (see `PreparedContainer`); this
    /// supervisor starts or abandons each.
    init(plan: SupervisorPlan, layout: TaskLayout, events: EventLog, prepared: [String: PreparedContainer]) throws(SystemError) {
        self.plan = plan
        self.layout = layout
        self.launcher = ContainerLauncher(plan: plan, layout: layout)
        self.events = events
        self.prepared = prepared
        do {
            self.signals = try SignalSource()
        } catch {
            PreparedContainer.abandonAll(prepared)
            throw error
        }
        self.containers = plan.containers.map(SupervisedContainer.init)
    }

    /// Runs until every container has stopped.
    func run() {
        startReadyContainers()
        // Prepared containers start on the first pass or not at all (the task is stopping):
        // give up the rest before anything is reaped, so no prepared process is reaped unseen.
        PreparedContainer.abandonAll(prepared)
        prepared = [:]
        while true {
            startReadyContainers()
            if stopping != nil { signalStoppableContainers() }
            if containers.allSatisfy(\.isStopped) {
                if stopping == nil { beginStop(reason: "All containers exited", code: "EssentialContainerExited") }
                break
            }
            waitForActivity()
        }
        finishLogs()
    }

    // MARK: - Starting

    private enum Readiness {
        case ready, waiting
        case impossible(String)
    }

    private func startReadyContainers() {
        guard stopping == nil else { return }
        var progressed = true
        // Starting one container can make another ready (START dependencies), so repeat.
        while progressed {
            progressed = false
            for container in containers where container.phase == .pending {
                switch readiness(of: container) {
                case .waiting:
                    continue
                case .impossible(let why):
                    markNeverStarted(container, reason: why)
                    progressed = true
                case .ready:
                    start(container)
                    progressed = true
                }
                if stopping != nil { return }
            }
        }
    }

    private func readiness(of container: SupervisedContainer) -> Readiness {
        for dependency in container.plan.dependsOn {
            guard let other = containers.first(where: { $0.name == dependency.containerName }) else {
                return .impossible("DependencyViolation: unknown container \(dependency.containerName)")
            }
            let failed = Readiness.impossible(
                "DependencyViolation: container \(other.name) did not reach \(dependency.condition)")
            switch dependency.condition {
            case "START":
                if other.everStarted { continue }
                if other.isStopped { return failed }
                return .waiting
            case "COMPLETE":
                // A satisfied dependency only lets the next one be checked.
                guard other.isStopped else { return .waiting }
                if !other.everStarted { return failed }
            case "SUCCESS":
                guard other.isStopped else { return .waiting }
                if other.exitCode != 0 { return failed }
            case "HEALTHY":
                if other.health == .healthy { continue }
                if other.isStopped { return failed }
                return .waiting
            default:
                return .impossible("DependencyViolation: unknown condition \(dependency.condition)")
            }
        }
        return .ready
    }

    private func start(_ container: SupervisedContainer) {
        var ends: [Int32] = [-1, -1]
        guard wharf_pipe_cloexec(&ends) == 0 else {
            failToStart(container, SystemError.current(step: "create output pipe for \(container.name)", call: "pipe2"))
            return
        }
        defer { close(ends[1]) }
        do throws(SystemError) {
            _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
            let pid: Int32
            var openedLog: OpenedLog?
            if let ahead = prepared.removeValue(forKey: container.name) {
                openedLog = ahead.log
                do {
                    pid = try launcher.start(ahead, container.plan, outputFD: ends[1])
                } catch where error.errno == EXDEV {
                    // A volume resolved below /sys, which a prepared container mounts only at
                    // its start: the one-shot launch mounts /sys first and the volume over it.
                    pid = try launcher.launch(container.plan, outputFD: ends[1])
                }
            } else {
                pid = try launcher.launch(container.plan, outputFD: ends[1])
            }
            // The container runs from here (the launcher returns once it has exec'd): its
            // start time is now, not after the log below is opened.
            let execAt = Clock.wallNanoseconds()
            // The log, unless it was opened ahead (`OpenedLog`), after the start: creating a file
            // on disk takes a tenth of a millisecond or more, which the container need not wait
            // for; its first output waits in the pipe.
            do throws(SystemError) {
                container.log = try LogWriter(
                    path: layout.log(of: container.name), opened: openedLog, pipeFD: ends[0], maxBytes: container.plan.logMaxBytes,
                    maxFiles: container.plan.logMaxFiles)
            } catch {
                // Reaped with the other children, as no container's.
                kill(pid, SIGKILL)
                throw error
            }
            container.phase = .running(pid: pid)
            container.everStarted = true
            container.startedAt = Clock.monotonicNanoseconds()
            if let check = container.plan.healthCheck {
                // The first check comes a second after start rather than a whole interval, so a
                // healthy container is known as such quickly; failures in the start period don't count.
                container.nextCheckAt = container.startedAt + Int64(min(1, check.intervalSeconds)) * 1_000_000_000
            }
            events.append(.containerRunning(name: container.name, pid: pid, at: execAt))
        } catch {
            if container.log == nil { close(ends[0]) }
            failToStart(container, error)
        }
    }

    private func failToStart(_ container: SupervisedContainer, _ error: SystemError) {
        report("\(error)")
        markNeverStarted(container, reason: "CannotStartContainerError: \(error.step): \(error.reason)")
    }

    private func markNeverStarted(_ container: SupervisedContainer, reason: String?) {
        container.phase = .stopped
        events.append(.containerStopped(name: container.name, exitCode: nil, reason: reason, at: Clock.wallNanoseconds()))
        if container.plan.essential && stopping == nil {
            beginStop(reason: reason ?? "Essential container in task exited", code: "TaskFailedToStart")
        }
    }

    // MARK: - Stopping

    /// Starts stopping the task: containers not started yet never will be; running ones are
    /// signalled in reverse dependency order by `signalStoppableContainers`.
    func beginStop(reason: String, code: String) {
        guard stopping == nil else { return }
        stopping = (reason, code)
        events.append(.taskStopping(reason: reason, code: code, at: Clock.wallNanoseconds()))
        for container in containers where container.phase == .pending {
            container.phase = .stopped
            events.append(.containerStopped(name: container.name, exitCode: nil, reason: nil, at: Clock.wallNanoseconds()))
        }
    }

    /// Sends SIGTERM to each running container that no running container depends on.
    private func signalStoppableContainers() {
        let now = Clock.monotonicNanoseconds()
        for container in containers {
            guard let pid = container.pid, container.killAt == nil else { continue }
            let dependents = containers.filter { other in
                other.pid != nil && other.plan.dependsOn.contains { $0.containerName == container.name }
            }
            guard dependents.isEmpty else { continue }
            kill(pid, SIGTERM)
            container.killAt = now + Int64(max(0, container.plan.stopTimeout)) * 1_000_000_000
        }
    }

    // MARK: - Waiting

    private func waitForActivity() {
        var descriptors = [pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0)]
        var owners: [SupervisedContainer?] = [nil]
        for container in containers {
            if let fd = container.log?.pipeFD, fd >= 0 {
                descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
                owners.append(container)
            }
        }
        let timeout = nextTimeoutMilliseconds()
        let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
        if ready < 0 && errno != EINTR {
            report("\(SystemError.current(step: "wait for container activity", call: "poll"))")
        }
        for (index, descriptor) in descriptors.enumerated() where index > 0 && descriptor.revents != 0 {
            _ = owners[index]?.log?.drain()
        }
        if descriptors[0].revents != 0 {
            for signal in signals.pending() { handle(signal) }
        }
        reapChildren()
        fireTimers()
    }

    private func nextTimeoutMilliseconds() -> Int32 {
        var deadlines: [Int64] = []
        for container in containers {
            if let at = container.killAt, container.pid != nil { deadlines.append(at) }
            if container.pid != nil, container.checkPID == nil, let at = container.nextCheckAt { deadlines.append(at) }
            if let at = container.checkDeadline { deadlines.append(at) }
        }
        guard let soonest = deadlines.min() else { return -1 }
        let remaining = soonest - Clock.monotonicNanoseconds()
        return remaining <= 0 ? 0 : Int32(min(Int64(Int32.max), (remaining + 999_999) / 1_000_000))
    }

    private func handle(_ signal: Int32) {
        switch signal {
        case SIGTERM, SIGINT, SIGHUP:
            let request = (try? FileSystem.readIfPresent(layout.stopRequest)).flatMap { $0 }
            let record = request.flatMap { Record.parseAll($0).first }
            beginStop(reason: record?["reason"] ?? "Task stopped", code: record?["code"] ?? "UserInitiated")
        default:
            break  // SIGCHLD: reapChildren runs after every wake-up anyway.
        }
    }

    private func fireTimers() {
        let now = Clock.monotonicNanoseconds()
        for container in containers {
            if let pid = container.pid, let at = container.killAt, at <= now {
                kill(pid, SIGKILL)
                container.killAt = Int64.max
            }
            if let checkPID = container.checkPID, let deadline = container.checkDeadline, deadline <= now {
                kill(checkPID, SIGKILL)
                container.checkTimedOut = true
                container.checkDeadline = nil
            }
            if let pid = container.pid, container.checkPID == nil, stopping == nil,
                let at = container.nextCheckAt, at <= now, let check = container.plan.healthCheck
            {
                runHealthCheck(container, pid: pid, check: check, now: now)
            }
        }
    }

    // MARK: - Exits

    private func reapChildren() {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid <= 0 { break }
            if let container = containers.first(where: { $0.pid == pid }) {
                containerExited(container, status: status)
            } else if let container = containers.first(where: { $0.checkPID == pid }) {
                healthCheckFinished(container, status: status)
            }
        }
    }

    /// The exit code as Docker and ECS report it: the status, or 128 + the killing signal.
    static func exitCode(fromWaitStatus status: Int32) -> Int {
        let signal = status & 0x7f
        return signal == 0 ? Int((status >> 8) & 0xff) : 128 + Int(signal)
    }

    private func containerExited(_ container: SupervisedContainer, status: Int32) {
        let code = Supervisor.exitCode(fromWaitStatus: status)
        container.phase = .stopped
        container.exitCode = code
        _ = container.log?.drain()
        if let checkPID = container.checkPID { kill(checkPID, SIGKILL) }
        var reason: String?
        let taskOOMKills = Cgroup(hierarchy: plan.cgroupHierarchy, path: plan.cgroupPath).oomKillCount()
        // A container in the task's own cgroup has no count of its own: the task's is its.
        let ownOOMKills = plan.containersHaveOwnCgroups ? launcher.cgroup(of: container.plan).oomKillCount() : 0
        if code == 128 + Int(SIGKILL), ownOOMKills > 0 || taskOOMKills > taskOOMKillsSeen {
            reason = "OutOfMemoryError: Container killed due to memory usage"
        }
        taskOOMKillsSeen = taskOOMKills
        events.append(.containerStopped(name: container.name, exitCode: code, reason: reason, at: Clock.wallNanoseconds()))
        if container.plan.essential && stopping == nil {
            beginStop(reason: "Essential container in task exited", code: "EssentialContainerExited")
        }
    }

    // MARK: - Health checks

    private func runHealthCheck(_ container: SupervisedContainer, pid: Int32, check: HealthCheckPlan, now: Int64) {
        do {
            container.checkPID = try launcher.execute(check.arguments, in: container.plan, pid: pid)
            container.checkDeadline = now + Int64(check.timeoutSeconds) * 1_000_000_000
            container.checkTimedOut = false
        } catch {
            report("\(error)")
            recordCheckResult(container, success: false, output: error.step)
        }
    }

    private func healthCheckFinished(_ container: SupervisedContainer, status: Int32) {
        container.checkPID = nil
        container.checkDeadline = nil
        guard !container.isStopped else { return }
        let code = Supervisor.exitCode(fromWaitStatus: status)
        let output = container.checkTimedOut ? "timed out" : "exit code \(code)"
        recordCheckResult(container, success: code == 0 && !container.checkTimedOut, output: output)
    }

    private func recordCheckResult(_ container: SupervisedContainer, success: Bool, output: String) {
        guard let check = container.plan.healthCheck else { return }
        let now = Clock.monotonicNanoseconds()
        container.nextCheckAt = now + Int64(check.intervalSeconds) * 1_000_000_000
        if success {
            container.consecutiveFailures = 0
            if container.health != .healthy { setHealth(container, .healthy, output: output) }
            return
        }
        let inStartPeriod = now < container.startedAt + Int64(check.startPeriodSeconds) * 1_000_000_000
        guard !inStartPeriod else { return }
        container.consecutiveFailures += 1
        if container.consecutiveFailures >= check.retries && container.health != .unhealthy {
            setHealth(container, .unhealthy, output: output)
        }
    }

    private func setHealth(_ container: SupervisedContainer, _ health: SupervisedContainer.Health, output: String) {
        container.health = health
        events.append(
            .containerHealth(name: container.name, status: health.rawValue, output: output, at: Clock.wallNanoseconds()))
    }

    // MARK: - Logs

    /// Copies the last output: processes of a stopped container may still be exiting, so wait
    /// briefly for each pipe's end of file.
    private func finishLogs() {
        let deadline = Clock.monotonicNanoseconds() + 200_000_000
        for container in containers {
            guard let log = container.log else { continue }
            while log.drain() {
                let remaining = deadline - Clock.monotonicNanoseconds()
                guard remaining > 0 else { break }
                var descriptor = pollfd(fd: log.pipeFD, events: Int16(POLLIN), revents: 0)
                _ = poll(&descriptor, 1, Int32(remaining / 1_000_000) + 1)
            }
        }
    }
}
