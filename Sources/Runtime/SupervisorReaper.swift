import CWharfLaunch
import Dispatch
import Foundation
import LinuxHost

/// Reaps the supervisors this process started, whenever they exit, so none stays a zombie.
///
/// A supervisor is started as a direct child (no detaching double fork, which cost a fork and
/// its copy-on-write faults on every launch) in a session of its own. Only its exit is this
/// process's business: each child is watched through a pidfd, which becomes readable when it
/// exits, and reaped with `waitid(P_PIDFD)`, so other children of the process (anything it runs
/// with `Process` or `posix_spawn`) are never waited for here. A supervisor that outlives this
/// process is inherited, and reaped, by the host's init (or the nearest subreaper).
final class SupervisorReaper: @unchecked Sendable {
    private let queue = DispatchQueue(label: "wharf.runtime.supervisor-reaper")
    private let lock = NSLock()
    /// Watched children by pid; a source is dropped once its child is reaped.
    private var sources: [pid_t: DispatchSourceRead] = [:]

    /// Starts watching child `pid`. Fails only when no pidfd can be opened; then the child is
    /// reaped at once if it has exited already, else left to the caller's error path.
    func watch(_ pid: pid_t) throws(SystemError) {
        let pidfd = wharf_pidfd_open(pid)
        guard pidfd >= 0 else {
            throw SystemError.current(step: "watch supervisor \(pid) for its exit", call: "pidfd_open")
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: pidfd, queue: queue)
        source.setEventHandler { [weak self] in
            // Readable means exited; a spurious wakeup (0) keeps the source for the real one.
            guard wharf_reap_pidfd(pidfd) != 0 else { return }
            self?.forget(pid)
        }
        source.setCancelHandler { close(pidfd) }
        lock.lock()
        sources[pid] = source
        lock.unlock()
        source.resume()
    }

    /// The number of children still watched (they have not exited yet).
    var watchedCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return sources.count
    }

    private func forget(_ pid: pid_t) {
        lock.lock()
        let source = sources.removeValue(forKey: pid)
        lock.unlock()
        source?.cancel()
    }
}
