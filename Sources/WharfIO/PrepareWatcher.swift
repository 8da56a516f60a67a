import CLibev

/// Runs a handler once per loop iteration, after the iteration's callbacks and just before the
/// loop waits for new events (`ev_prepare`).
///
/// It is where work that an iteration's callbacks queued can be done in one batch: a proxy
/// that defers its writes to here sends the responses to one wake-up's worth of requests back
/// to back, so each peer is woken once per batch instead of once per write (a wake-up is much
/// of a loopback write's cost). Start it when something is queued and stop it when the queue
/// is empty, so an idle loop pays nothing.
///
/// The struct is allocated once at a stable address; running it costs no allocation and no
/// lock. Ownership is as for `IOWatcher`: the watcher retains its loop, the owner retains the
/// watcher, a handler calling back into the owner captures it `[unowned self]`, and stopping or
/// releasing the watcher inside its own handler is safe.
///
/// Loop thread only.
public final class PrepareWatcher {
    /// The loop this watcher runs on.
    public let loop: EventLoop
    /// Called on the loop thread before each wait for events while the watcher is started.
    public let handler: () -> Void

    private let watcher: UnsafeMutablePointer<ev_prepare>

    /// A stopped watcher; `start()` it.
    public init(loop: EventLoop, handler: @escaping () -> Void) {
        self.loop = loop
        self.handler = handler
        watcher = .allocate(capacity: 1)
        watcher.initialize(to: ev_prepare())
        wharf_ev_prepare_init(watcher, prepareWatcherFired)
        watcher.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        ev_prepare_stop(loop.raw, watcher)
        watcher.deinitialize(count: 1)
        watcher.deallocate()
    }

    /// Whether the watcher is started.
    @inline(__always)
    public var isActive: Bool { wharf_ev_is_active(watcher) != 0 }

    /// Runs the handler before every wait from now on. Does nothing when already started.
    @inline(__always)
    public func start() {
        guard !isActive else { return }
        ev_prepare_start(loop.raw, watcher)
    }

    /// Stops running the handler.
    public func stop() {
        ev_prepare_stop(loop.raw, watcher)
    }
}

/// The `ev_prepare` trampoline. Holds the watcher for the whole handler so the handler may release it.
private func prepareWatcherFired(_ loop: OpaquePointer?, _ watcher: UnsafeMutablePointer<ev_prepare>?, _ revents: Int32) {
    guard let data = watcher?.pointee.data else { return }
    let owner = Unmanaged<PrepareWatcher>.fromOpaque(data).takeUnretainedValue()
    withExtendedLifetime(owner) { owner.handler() }
}
