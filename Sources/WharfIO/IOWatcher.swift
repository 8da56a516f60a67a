import CLibev

/// Watches one descriptor for readiness (`ev_io`), level-triggered.
///
/// The `ev_io` struct is allocated once, at a stable address, and points back to this object
/// (unretained); a `@convention(c)` trampoline calls `handler`. An event costs no allocation
/// and no lock: one retain/release of the watcher (so it may be freed inside its own handler)
/// and one closure call.
///
/// Ownership rules:
/// - The watcher retains its loop. The loop does not retain the watcher, and an active
///   watcher does not keep itself alive: whoever owns the watcher (a connection, a listener)
///   must hold it. `deinit` stops it, so dropping the last reference is a valid way to stop.
/// - A connection that owns its watcher and whose handler calls back into the connection must
///   capture it weakly to avoid a cycle; `[unowned self]` is the cheap choice, because the
///   watcher never outlives its owner:
///
///       final class Connection {
///           private var watcher: IOWatcher!
///           init(loop: EventLoop, fd: Int32) {
///               watcher = IOWatcher(loop: loop, fd: fd, events: .read) { [unowned self] events in
///                   self.handle(events)
///               }
///               watcher.start()
///           }
///       }
///
///   The connection itself is kept alive by its server's connection table (or by whatever
///   started it) until it closes.
/// - `stop()`, `set(events:)` and releasing the last reference are all safe inside the
///   watcher's own handler: the trampoline holds the watcher until the handler returns, and
///   libev touches no watcher after its callback.
///
/// Loop thread only. The descriptor is not owned: close it after stopping the watcher.
public final class IOWatcher {
    /// The loop this watcher runs on.
    public let loop: EventLoop
    /// The descriptor watched.
    public let fd: Int32
    /// Called on the loop thread with the events that are ready.
    public let handler: (IOEvents) -> Void
    /// The events currently watched for.
    public private(set) var events: IOEvents

    private let watcher: UnsafeMutablePointer<ev_io>

    /// A stopped watcher of `fd` for `events`; `start()` it.
    public init(loop: EventLoop, fd: Int32, events: IOEvents, handler: @escaping (IOEvents) -> Void) {
        self.loop = loop
        self.fd = fd
        self.events = events
        self.handler = handler
        watcher = .allocate(capacity: 1)
        watcher.initialize(to: ev_io())
        wharf_ev_io_init(watcher, ioWatcherFired, fd, events.rawValue)
        watcher.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        ev_io_stop(loop.raw, watcher)
        watcher.deinitialize(count: 1)
        watcher.deallocate()
    }

    /// Whether the watcher is started.
    @inline(__always)
    public var isActive: Bool { wharf_ev_is_active(watcher) != 0 }

    /// Starts watching. Does nothing when already started.
    public func start() {
        guard !isActive else { return }
        ev_io_start(loop.raw, watcher)
    }

    /// Stops watching and drops any event already due but not yet delivered.
    public func stop() {
        ev_io_stop(loop.raw, watcher)
    }

    /// Delivers exactly `newEvents` from now on: stops the watcher for none, else sets the
    /// events and starts it. libev is touched only for what changes, so a connection can
    /// state what it needs after every step without keeping its own copy of it.
    public func want(_ newEvents: IOEvents) {
        guard !newEvents.isEmpty else {
            if isActive { stop() }
            return
        }
        set(events: newEvents)
        start()
    }

    /// Delivers `events` to the handler on the loop's next round of callbacks, as if the
    /// descriptor had reported them (`ev_feed_event`): for readiness the kernel cannot see, such
    /// as bytes a TLS layer has already read. Changing the events (`set(events:)`, `want(_:)`),
    /// stopping or releasing the watcher before it is delivered cancels it: the owner feeds it
    /// again after such a change if it still applies.
    public func feed(_ events: IOEvents) {
        ev_feed_event(loop.raw, watcher, events.rawValue)
    }

    /// The events being delivered now: `events` while started, none while stopped.
    public var delivered: IOEvents { isActive ? events : [] }

    /// Changes the events watched for. Does nothing when they are unchanged; an active watcher
    /// is re-armed (libev issues at most one `epoll_ctl` for it, on the next iteration).
    /// Re-arming stops the `ev_io`, which drops an event already due but not yet delivered:
    /// readiness the kernel reported comes again (level-triggered), a `feed` does not.
    public func set(events newEvents: IOEvents) {
        guard newEvents != events else { return }
        events = newEvents
        if isActive {
            ev_io_stop(loop.raw, watcher)
            wharf_ev_io_modify(watcher, newEvents.rawValue)
            ev_io_start(loop.raw, watcher)
        } else {
            wharf_ev_io_modify(watcher, newEvents.rawValue)
        }
    }
}

/// The `ev_io` trampoline. Holds the watcher for the whole handler so the handler may release it.
private func ioWatcherFired(_ loop: OpaquePointer?, _ watcher: UnsafeMutablePointer<ev_io>?, _ revents: Int32) {
    guard let data = watcher?.pointee.data else { return }
    let owner = Unmanaged<IOWatcher>.fromOpaque(data).takeUnretainedValue()
    withExtendedLifetime(owner) {
        owner.handler(IOEvents(rawValue: revents & IOEvents.readWrite.rawValue))
    }
}
