import Dispatch
import Synchronization

/// Runs blocking work (runtime calls are file and system-call work that can take milliseconds)
/// on its own threads, so async callers never block Swift's cooperative pool (two threads on a
/// two-core host). `width` serial queues take the calls in turn: at most `width` run at once,
/// and no thread sits blocked waiting for a turn.
final class BlockingRunner: Sendable {
    private let queues: [DispatchQueue]
    private let next = Atomic<UInt>(0)

    init(label: String, width: Int) {
        queues = (0..<max(1, width)).map { DispatchQueue(label: "\(label).\($0)") }
    }

    /// Runs `body` on the runner's threads and returns its result.
    func run<T: Sendable, Failure: Error>(_ body: @escaping @Sendable () -> Result<T, Failure>) async throws(Failure) -> T {
        let turn = Int(next.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(queues.count))
        let queue = queues[turn]
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
        return try result.get()
    }
}
