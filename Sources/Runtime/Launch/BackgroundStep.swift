import Dispatch
import LinuxHost
import Synchronization

/// A launch step run on one of Dispatch's worker threads while the launching thread does
/// another, independent one; the launching thread collects its outcome with ``wait()``.
///
/// A launch's cgroups and its network are the two largest parts of the launch call (each a few
/// hundred microseconds of kernel work: directories in every cgroup hierarchy, netlink
/// requests) and need nothing of each other, so with a free core they overlap.
final class BackgroundStep: Sendable {
    private let outcome = Mutex<Result<Void, SystemError>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    private init() {}

    /// Starts `work` on a worker thread at once.
    static func start(_ work: @escaping @Sendable () throws(SystemError) -> Void) -> BackgroundStep {
        let step = BackgroundStep()
        DispatchQueue.global(qos: .userInitiated).async {
            let result = Result<Void, SystemError>(catching: work)
            step.outcome.withLock { $0 = result }
            step.finished.signal()
        }
        return step
    }

    /// Waits until the step has finished and returns what it threw, if anything. Call it once.
    func wait() -> Result<Void, SystemError> {
        finished.wait()
        return outcome.withLock { $0 } ?? .success(())
    }
}
