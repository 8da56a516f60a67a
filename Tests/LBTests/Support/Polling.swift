import Foundation
import Synchronization

/// Polls `condition` every `interval` seconds until it holds or `timeout` seconds pass;
/// returns whether it held. For state that settles asynchronously (health checks, statistics
/// merged on the workers' tick, routing snapshots reaching workers).
@discardableResult
func eventually(timeout: Double, interval: Double = 0.05, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        Thread.sleep(forTimeInterval: interval)
    }
}

/// Runs `body(index)` on `count` threads at once and waits for all of them.
func runConcurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

/// Runs `body` on a thread of its own; `wait()` on the result joins it.
final class BackgroundTask: Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> Void) {
        let done = self.done
        Thread {
            body()
            done.signal()
        }.start()
    }

    /// Waits up to `timeout` seconds; false when the task is still running.
    @discardableResult
    func wait(timeout: Double = 30) -> Bool {
        done.wait(timeout: .now() + timeout) == .success
    }
}

/// A value shared by client threads (a `Mutex` in a class, so escaping closures can capture it).
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }

    var value: Value { mutex.withLock { $0 } }
}
