/// An event loop running on its own thread: the shape of one load-balancer worker.
///
/// Give the loop its work with `loop.execute { ... }` (the closure runs on the loop thread,
/// where watchers may be created and started), and end it with `stopAndJoin()`.
public final class EventLoopThread: Sendable {
    /// The loop the thread runs. Only `execute` may be called on it from other threads.
    public let loop: EventLoop
    private let thread: ThreadHandle

    /// Creates a loop and starts a thread named `name` running it.
    public init(name: String) throws(IOError) {
        let loop = try EventLoop()
        self.loop = loop
        thread = try EventLoop.spawnThread(name: name) { loop.run() }
    }

    /// Stops the loop (after the work already queued with `execute`) and waits for its thread.
    /// Watchers the loop thread still holds keep the loop object alive, not running.
    public func stopAndJoin() {
        let loop = self.loop
        loop.execute { loop.stop() }
        thread.join()
    }
}
