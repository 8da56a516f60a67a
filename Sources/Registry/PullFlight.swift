import Foundation

/// One piece of work (an image pull, a layer download) that several threads may want at
/// once: the first runs it, the others wait for its result. This is how two tasks pulling
/// the same image, or two images sharing a layer, download it once.
final class PullFlight<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Value?

    /// Blocks until the leader finishes, then returns what it produced.
    func wait() -> Value {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result { return result }
            condition.wait()
        }
    }

    /// Publishes the leader's result and wakes every waiter.
    func finish(_ value: Value) {
        condition.lock()
        result = value
        condition.broadcast()
        condition.unlock()
    }
}
