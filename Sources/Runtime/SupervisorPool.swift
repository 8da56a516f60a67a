import Foundation
import LinuxHost

/// Supervisors spawned ahead of launches, on standby (see `SupervisorStart`), so a launch hands
/// its task directory to a process that runs already instead of waiting for one to start.
///
/// Starting a supervisor is a posix_spawn that returns once the child has exec'd, then the
/// supervisor's own start-up before it reads its first message; measured on a two-core host,
/// the two put about 1.5 ms in front of every container's preparation. Neither depends on the
/// task. A standby supervisor has no task and holds nothing: given none (the pool drained, or
/// this process exiting), it sees its socket close and exits.
///
/// Standby supervisors are this process's children; one taken is the launch's to adopt (and,
/// from then on, the reaper's to reap), one discarded is reaped by `abandon()`. The pool (a
/// `ReadyPool`) refills once a launch is done. A spawn passes the spawning thread's priority
/// on, and a supervisor keeps it for its task's life (its containers too), so refills run at
/// the nice value of the thread that made the pool, as a launch spawning its own supervisor
/// would, set on the refilling thread (which the network pool's refills, at 19, may share).
enum SupervisorPool {
    /// A pool of `capacity` standby supervisors of `binary`.
    static func make(
        capacity: Int, binary: String, onFailure: @escaping (SystemError) -> Void
    ) -> ReadyPool<SupervisorSpawner.Spawned> {
        // PRIO_PROCESS with id 0 is the calling thread on Linux.
        errno = 0
        let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        return ReadyPool(
            capacity: capacity, label: "wharf.runtime.supervisor-pool", niceness: errno == 0 ? current : 0,
            make: { () throws(SystemError) in try SupervisorSpawner.spawn(binary: binary, layout: nil) },
            discard: { supervisor in supervisor.abandon() }, onFailure: onFailure)
    }
}
