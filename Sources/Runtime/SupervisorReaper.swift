import CWharfLaunch
import Dispatch
import Foundation
import LinuxHost
import Logging
import Synchronization

/// Reaps the supervisors this process started, whenever they exit, so none stays a zombie, and
/// tells the runtime's client when any followed supervisor exits.
///
/// A supervisor is started as a direct child (no detaching double fork, which cost a fork and
/// its copy-on-write faults on every launch) in a session of its own. Only its exit is this
/// process's business: each child is watched through a pidfd, which becomes readable when it
/// exits, and reaped with `waitid(P_PIDFD)`, so other children of the process (anything it runs
/// with `Process` or `posix_spawn`) are never waited for here. A supervisor that outlives this
/// process is inherited, and reaped, by the host's init (or the nearest subreaper).
///
/// Supervisors of tasks found after a restart are not children, but a pidfd works for any
/// process: ``follow(_:taskID:)`` watches them the same way, without reaping. Every exit seen
/// goes to the handler set with ``onExit(_:)``: a supervisor that dies records nothing itself,
/// so this is how its death is noticed at once rather than by polling every task.
final class SupervisorReaper: Sendable {
    private let queue = DispatchQueue(label: "wharf.runtime.supervisor-reaper")
    private let logger: Logger
    /// Whether the thread-per-child fallback has been reported: once per process is enough,
    /// since a kernel without `pidfd_open` fails it for every child.
    private let reportedFallback = Atomic<Bool>(false)
    private let exitHandler = Mutex<(@Sendable (String) -> Void)?>(nil)
    /// Tasks whose supervisor is watched now.
    private let followed = Mutex<Set<String>>([])
    /// Whether this kernel gives pidfds (probed once, on this process). Without them the exits
    /// of this process's own children are still reported (a thread waits for each), but no
    /// other process can be followed.
    let hasPidfds: Bool

    init(logger: Logger) {
        self.logger = logger
        let probe = wharf_pidfd_open(getpid())
        hasPidfds = probe >= 0
        if probe >= 0 { close(probe) }
    }

    /// Sets what is called, on the reaper's queue, with the task ID of every watched or
    /// followed supervisor that exits (nil: nothing).
    func onExit(_ handler: (@Sendable (String) -> Void)?) {
        exitHandler.withLock { $0 = handler }
    }

    /// Starts watching child `pid`, the supervisor of `taskID`, until it has exited and been
    /// reaped. Each watch owns its source and cancels it itself, so it ends whether or not this
    /// object still exists. Should no pidfd be available (a kernel before 5.3, or descriptors
    /// exhausted), a thread waits for the child instead, and the first such fallback is logged.
    func watch(_ pid: pid_t, taskID: String) {
        followed.withLock { _ = $0.insert(taskID) }
        let pidfd = wharf_pidfd_open(pid)
        guard pidfd >= 0 else {
            let error = errno
            if !reportedFallback.exchange(true, ordering: .relaxed) {
                logger.warning(
                    "pidfd_open failed; supervisors are reaped by one waiting thread each",
                    metadata: ["pid": "\(pid)", "errno": "\(error)"])
            }
            Thread.detachNewThread { [weak self] in
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                guard let reaper = self else { return }
                reaper.queue.async { reaper.exited(taskID) }
            }
            return
        }
        observe(pidfd, taskID: taskID) {
            // Readable means exited; 0 (not yet) keeps the source for the real event. Reaped
            // (1) or nothing left to reap (-1, ECHILD): the watch is over.
            wharf_reap_pidfd(pidfd) != 0
        }
    }

    /// Whether the supervisor of `taskID` is watched or followed now.
    func isFollowing(_ taskID: String) -> Bool {
        followed.withLock { $0.contains(taskID) }
    }

    /// Starts following `supervisor`, a process this one did not start (the supervisor of
    /// `taskID`, found after a restart): its exit is reported like a child's, but not reaped.
    /// Returns whether it is followed now (or was already); false when no pidfd can be had or
    /// the process is no longer `supervisor` (it exited, and its pid may be another's now).
    func follow(_ supervisor: ProcessIdentity, taskID: String) -> Bool {
        let isNew = followed.withLock { $0.insert(taskID).inserted }
        guard isNew else { return true }
        let pidfd = wharf_pidfd_open(supervisor.pid)
        // Checked after the pidfd is open: it then names this very process or a dead one.
        guard pidfd >= 0, ProcessIdentity.of(pid: supervisor.pid) == supervisor else {
            if pidfd >= 0 { close(pidfd) }
            _ = followed.withLock { $0.remove(taskID) }
            return false
        }
        observe(pidfd, taskID: taskID) { true }
        return true
    }

    /// Runs `finished` whenever `pidfd` turns readable; once it returns true the watch ends and
    /// the exit is reported.
    private func observe(_ pidfd: Int32, taskID: String, finished: @escaping @Sendable () -> Bool) {
        let source = DispatchSource.makeReadSource(fileDescriptor: pidfd, queue: queue)
        // The handler holds the source (nothing else does) until it cancels it; libdispatch
        // drops the handlers, and with them that reference, once the source is cancelled.
        source.setEventHandler { [weak self] in
            guard finished() else { return }
            source.cancel()
            self?.exited(taskID)
        }
        source.setCancelHandler { close(pidfd) }
        source.resume()
    }

    private func exited(_ taskID: String) {
        _ = followed.withLock { $0.remove(taskID) }
        exitHandler.withLock { $0 }?(taskID)
    }
}
