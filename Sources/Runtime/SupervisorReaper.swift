import CWharfLaunch
import Dispatch
import Foundation
import LinuxHost
import Logging
import Synchronization

/// Reaps the supervisors this process started, whenever they exit, so none stays a zombie.
///
/// A supervisor is started as a direct child (no detaching double fork, which cost a fork and
/// its copy-on-write faults on every launch) in a session of its own. Only its exit is this
/// process's business: each child is watched through a pidfd, which becomes readable when it
/// exits, and reaped with `waitid(P_PIDFD)`, so other children of the process (anything it runs
/// with `Process` or `posix_spawn`) are never waited for here. A supervisor that outlives this
/// process is inherited, and reaped, by the host's init (or the nearest subreaper).
final class SupervisorReaper: Sendable {
    private let queue = DispatchQueue(label: "wharf.runtime.supervisor-reaper")
    private let logger: Logger
    /// Whether the thread-per-child fallback has been reported: once per process is enough,
    /// since a kernel without `pidfd_open` fails it for every child.
    private let reportedFallback = Atomic<Bool>(false)

    init(logger: Logger) {
        self.logger = logger
    }

    /// Starts watching child `pid` until it has exited and been reaped. Each watch owns its
    /// source and cancels it itself, so it ends whether or not this object still exists.
    /// Should no pidfd be available (a kernel before 5.3, or descriptors exhausted), a thread
    /// waits for the child instead, and the first such fallback is logged.
    func watch(_ pid: pid_t) {
        let pidfd = wharf_pidfd_open(pid)
        guard pidfd >= 0 else {
            let error = errno
            if !reportedFallback.exchange(true, ordering: .relaxed) {
                logger.warning(
                    "pidfd_open failed; supervisors are reaped by one waiting thread each",
                    metadata: ["pid": "\(pid)", "errno": "\(error)"])
            }
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            }
            return
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: pidfd, queue: queue)
        // The handler holds the source (nothing else does) until it cancels it; libdispatch
        // drops the handlers, and with them that reference, once the source is cancelled.
        source.setEventHandler {
            // Readable means exited; 0 (not yet) keeps the source for the real event. Reaped
            // (1) or nothing left to reap (-1, ECHILD): the watch is over.
            guard wharf_reap_pidfd(pidfd) != 0 else { return }
            source.cancel()
        }
        source.setCancelHandler { close(pidfd) }
        source.resume()
    }
}
