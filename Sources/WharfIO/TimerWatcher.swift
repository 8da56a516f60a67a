import CLibev

/// A relative timer (`ev_timer`) on the loop's monotonic clock: one shot, or repeating.
///
/// The struct is allocated once at a stable address; firing costs no allocation and no lock.
/// Ownership is as for `IOWatcher`: the timer retains its loop, the owner retains the timer,
/// handlers that call back into the owner capture it `[unowned self]`, and stopping or
/// releasing the timer inside its own handler is safe.
///
/// Loop thread only.
public final class TimerWatcher {
    /// The loop this timer runs on.
    public let loop: EventLoop
    /// Called on the loop thread when the timer fires.
    public let handler: () -> Void

    private let watcher: UnsafeMutablePointer<ev_timer>

    /// A stopped timer; `start(after:repeat:)` it.
    public init(loop: EventLoop, handler: @escaping () -> Void) {
        self.loop = loop
        self.handler = handler
        watcher = .allocate(capacity: 1)
        watcher.initialize(to: ev_timer())
        wharf_ev_timer_init(watcher, timerWatcherFired)
        watcher.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        ev_timer_stop(loop.raw, watcher)
        watcher.deinitialize(count: 1)
        watcher.deallocate()
    }

    /// Whether the timer is started.
    @inline(__always)
    public var isActive: Bool { wharf_ev_is_active(watcher) != 0 }

    /// Fires after `after` seconds (measured from the loop's `now`), then every `repeat` seconds
    /// when `repeat` is positive. Restarts a running timer.
    public func start(after: Double, repeat interval: Double = 0) {
        ev_timer_stop(loop.raw, watcher)
        wharf_ev_timer_set(watcher, after, interval)
        ev_timer_start(loop.raw, watcher)
    }

    /// Stops the timer and drops a firing already due but not yet delivered.
    public func stop() {
        ev_timer_stop(loop.raw, watcher)
    }
}

/// The `ev_timer` trampoline. Holds the timer for the whole handler so the handler may release it.
private func timerWatcherFired(_ loop: OpaquePointer?, _ watcher: UnsafeMutablePointer<ev_timer>?, _ revents: Int32) {
    guard let data = watcher?.pointee.data else { return }
    let owner = Unmanaged<TimerWatcher>.fromOpaque(data).takeUnretainedValue()
    withExtendedLifetime(owner) { owner.handler() }
}
