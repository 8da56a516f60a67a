import Dispatch
import Synchronization
import WharfIO

/// Runs blocking work (runtime calls are file and system-call work that can take milliseconds)
/// on threads of its own, so async callers never block Swift's cooperative pool (two threads on
/// a two-core host). `width` threads take the calls from one shared first-in first-out queue:
/// at most `width` run at once, and a call waits only while every thread is busy, never behind
/// one slow call while another thread idles (as it did with a queue per thread taken in turn).
final class BlockingRunner: Sendable {
    private let pool: RequestWorkerPool

    /// Starts `width` threads named `label-0`, `label-1`, ….
    init(label: String, width: Int) throws(IOError) {
        pool = try RequestWorkerPool(name: label, threadCount: max(1, width))
    }

    /// Runs `body` on the runner's threads and returns its result.
    func run<T: Sendable, Failure: Error>(_ body: @escaping @Sendable () -> Result<T, Failure>) async throws(Failure) -> T {
        // The job lets go of `body` (and what it captures, often the runner's owner) before
        // resuming the caller: the owner is then never released last on one of the runner's
        // own threads, whose pool would have to join the thread it runs on.
        let pending = PendingBody(body)
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            pool.submit {
                // The pool runs each job once, so the body is always there; taken out, it is
                // released at the end of this statement, before the caller resumes.
                let result = pending.take().map { body in body() }
                if let result { continuation.resume(returning: result) }
            }
        }
        return try result.get()
    }
}

/// A job's body until a runner thread takes it.
private final class PendingBody<T: Sendable, Failure: Error>: Sendable {
    private let body: Mutex<(@Sendable () -> Result<T, Failure>)?>

    init(_ body: @escaping @Sendable () -> Result<T, Failure>) {
        self.body = Mutex(body)
    }

    func take() -> (@Sendable () -> Result<T, Failure>)? {
        body.withLock { $0.take() }
    }
}
