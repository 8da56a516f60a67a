import CLibev
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One libev event loop (epoll backend), driven by one thread.
///
/// Threading: everything except `execute(_:)` must be called on the thread that runs the loop
/// (or before `run()` starts, by the thread that will run it). `execute(_:)` is the one
/// thread-safe entry: it queues a closure under a mutex and wakes the loop with `ev_async`; the
/// loop thread runs the queued closures in submission order. It is meant for control traffic
/// (configuration snapshots, new listeners, shutdown), not for per-request work.
///
/// Ownership: watchers retain their loop, the loop retains no watcher. A loop is freed
/// (`ev_loop_destroy`) when its last watcher and its last user are gone.
///
/// `@unchecked Sendable`: a loop is handed to other threads only so they can call `execute`,
/// whose queue is protected by a `Mutex`; libev's `ev_async_send` is thread-safe.
public final class EventLoop: @unchecked Sendable {
    /// The libev loop, for the watchers of this module.
    let raw: OpaquePointer
    /// Wakes the loop when another thread submits work.
    private let wakeUp: UnsafeMutablePointer<ev_async>
    /// Work submitted by `execute`, not yet run.
    private let submitted = Mutex<[@Sendable () -> Void]>([])
    /// An empty array with capacity, swapped with `submitted` so draining does not allocate.
    private var spareBatch: [@Sendable () -> Void] = []
    /// The thread inside `run()`, or 0 when the loop is not running.
    private let runningThread = Atomic<UInt>(0)

    /// The libev flags: epoll, no `LIBEV_FLAGS` from the environment, no signal mask changes
    /// (Wharf uses no libev signal watchers).
    private static let loopFlags = UInt32(EVBACKEND_EPOLL) | UInt32(EVFLAG_NOENV) | UInt32(EVFLAG_NOSIGMASK)

    /// Creates a loop on the epoll backend.
    public init() throws(IOError) {
        guard let raw = ev_loop_new(Self.loopFlags) else { throw .createLoop }
        self.raw = raw
        wakeUp = .allocate(capacity: 1)
        wakeUp.initialize(to: ev_async())
        wharf_ev_async_init(wakeUp, eventLoopWokenUp)
        wakeUp.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        ev_async_start(raw, wakeUp)
    }

    deinit {
        ev_async_stop(raw, wakeUp)
        wakeUp.deinitialize(count: 1)
        wakeUp.deallocate()
        ev_loop_destroy(raw)
    }

    /// Runs the loop on the calling thread until `stop()` is called from a callback or from
    /// work passed to `execute`. The loop never returns on its own: its wake-up watcher keeps
    /// it alive even with no other watcher.
    public func run() {
        runningThread.store(UInt(pthread_self()), ordering: .releasing)
        ev_run(raw, 0)
        runningThread.store(0, ordering: .releasing)
    }

    /// Runs one loop iteration: waits for at least one event unless `blocking` is false, runs
    /// the callbacks due, and returns. Not from inside a callback of this loop.
    public func runOnce(blocking: Bool = true) {
        runningThread.store(UInt(pthread_self()), ordering: .releasing)
        ev_run(raw, blocking ? Int32(EVRUN_ONCE) : Int32(EVRUN_NOWAIT))
        runningThread.store(0, ordering: .releasing)
    }

    /// Makes `run()` return once the current callback returns. Loop thread only; from another
    /// thread use `execute { loop.stop() }`. A `stop()` before `run()` starts has no effect.
    public func stop() {
        ev_break(raw, Int32(EVBREAK_ALL))
    }

    /// The loop's cached time in seconds (`ev_now`): when the loop last woke up. Costs a field
    /// read, so it is what timeouts and idle checks should use.
    public var now: Double { ev_now(raw) }

    /// Refreshes `now` from the clock (`ev_now_update`), for callbacks that ran long.
    public func updateNow() { ev_now_update(raw) }

    /// Whether the calling thread is the one running this loop (for assertions).
    public var isInLoopThread: Bool {
        runningThread.load(ordering: .acquiring) == UInt(pthread_self())
    }

    /// Queues `work` to run on the loop thread and wakes the loop. Safe from any thread.
    ///
    /// Work runs in submission order, inside the loop, between event callbacks. Work queued
    /// after `run()` has returned runs when the loop runs again, or is dropped with the loop.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        submitted.withLock { $0.append(work) }
        ev_async_send(raw, wakeUp)
    }

    /// Runs the work queued by `execute`, on the loop thread.
    fileprivate func runSubmittedWork() {
        var batch = spareBatch
        spareBatch = []
        submitted.withLock { swap(&$0, &batch) }
        for work in batch { work() }
        batch.removeAll(keepingCapacity: true)
        spareBatch = batch
    }
}

/// The `ev_async` callback: the loop is borrowed (it owns the watcher), never retained here.
private func eventLoopWokenUp(_ loop: OpaquePointer?, _ watcher: UnsafeMutablePointer<ev_async>?, _ events: Int32) {
    guard let data = watcher?.pointee.data else { return }
    Unmanaged<EventLoop>.fromOpaque(data).takeUnretainedValue().runSubmittedWork()
}
