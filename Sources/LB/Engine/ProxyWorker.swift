import Glibc
import HTTPCore
import WharfIO

/// One worker thread of the load balancer: an event loop with its own listeners' sockets, its
/// connections, its pool of target connections, its routing state and its statistics.
///
/// Nothing here is shared with other workers except immutable snapshots (routing tables arrive
/// through `EventLoop.execute`), the statistics hub (merged on a timer, not per request) and
/// the listeners' connection counters (touched on accept and close). Everything else is
/// touched from the worker's own thread only.
final class ProxyWorker {
    let index: Int
    let loop: EventLoop
    let settings: WorkerSettings
    let buffers: BufferPool
    var httpLimits: HTTPLimits { settings.httpLimits }
    var idleConnectionsPerTarget: Int { settings.idleConnectionsPerTarget }
    var listeners: [WorkerListener] = []
    /// Open client connections, so a shutdown or a routing change can reach them.
    private(set) var clients: [ObjectIdentifier: ClientConnection] = [:]
    private(set) var isShuttingDown = false
    /// The routing snapshot in use and a picker per target group (`ProxyWorker+Routing`).
    var routing: WorkerRouting
    /// Connection state per target, parallel to `routing.table.groups[g].targets`.
    var targets: [[WorkerTarget]] = []
    /// This worker's counters, handed to the hub on `tick` (`ProxyWorker+Statistics`).
    let statistics: WorkerStatistics
    let hub: StatisticsHub
    private var tickTimer: TimerWatcher?
    private var shutdownTimer: TimerWatcher?
    private var acceptRetryTimer: TimerWatcher?
    /// Runs the writes connections deferred (`deferWrites`) before the loop waits again;
    /// started only while some are queued.
    private var deferredWritesWatcher: PrepareWatcher?
    /// Client connections with deferred writes, in the order they deferred them.
    private var connectionsWithDeferredWrites: [ClientConnection] = []
    private var lastSweep = 0.0
    private let clock = MonotonicClock()
    /// `X-Request-Id: ` and a prefix random per worker and start, so request ids from
    /// different workers and runs differ.
    private let requestIDFieldStart: [UInt8]
    private var requestCounter: UInt64 = 0
    /// Called on the worker thread once its loop has nothing left to do after a shutdown.
    var onStopped: (() -> Void)?

    init(index: Int, loop: EventLoop, settings: WorkerSettings, table: RoutingTable, listenerNames: [String], hub: StatisticsHub) {
        self.index = index
        self.routing = WorkerRouting(table: table, seed: UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: Int(loop.now * 1e6)))
        self.loop = loop
        self.settings = settings
        self.hub = hub
        self.statistics = WorkerStatistics(layout: ProxyWorker.statisticsLayout(listeners: listenerNames, table: table))
        self.buffers = BufferPool(bufferSize: settings.bufferSize, maxIdleBuffers: settings.maxIdleBuffers)
        var fieldStart = Array("X-Request-Id: ".utf8)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<16 { fieldStart.append(ProxyWorker.hexDigit(UInt8(truncatingIfNeeded: random.next() % 16))) }
        self.requestIDFieldStart = fieldStart
        self.targets = ProxyWorker.workerTargets(for: table, reusing: [:])
    }

    // MARK: Start and stop

    /// Starts accepting on the worker's listeners and the periodic tick. Runs on the worker thread.
    func start() {
        for listener in listeners {
            let watcher = IOWatcher(loop: loop, fd: listener.fd, events: .read) { [unowned self, unowned listener] _ in
                self.acceptConnections(listener)
            }
            listener.acceptWatcher = watcher
            watcher.start()
        }
        let tick = TimerWatcher(loop: loop) { [unowned self] in
            self.tick()
        }
        tick.start(after: settings.tickInterval, repeat: settings.tickInterval)
        tickTimer = tick
        deferredWritesWatcher = PrepareWatcher(loop: loop) { [unowned self] in
            self.runDeferredWrites()
        }
    }

    /// Stops accepting, lets in-flight exchanges finish (idle connections close now), and
    /// stops the loop when nothing is left or `grace` seconds have passed. Runs on the worker thread.
    func beginShutdown(grace: Double) {
        guard !isShuttingDown else { return }
        isShuttingDown = true
        for listener in listeners {
            listener.acceptWatcher?.stop()
            listener.acceptWatcher = nil
            Socket.close(listener.fd)
        }
        for client in Array(clients.values) where client.state == .idle || client.state == .handshaking {
            client.close(graceful: true)
        }
        // Their responses are out and our side is shut down already (a TLS one's close_notify sent).
        for client in Array(clients.values) where client.state == .lingering {
            client.close(graceful: false)
        }
        let timer = TimerWatcher(loop: loop) { [unowned self] in
            for client in Array(self.clients.values) { client.abort() }
            self.finishShutdownIfDone()
        }
        timer.start(after: grace, repeat: 0)
        shutdownTimer = timer
        finishShutdownIfDone()
    }

    private func finishShutdownIfDone() {
        guard isShuttingDown, clients.isEmpty else { return }
        for group in targets { for target in group { target.closeIdle() } }
        flushStatistics()
        tickTimer?.stop()
        tickTimer = nil
        shutdownTimer?.stop()
        shutdownTimer = nil
        acceptRetryTimer?.stop()
        acceptRetryTimer = nil
        deferredWritesWatcher?.stop()
        deferredWritesWatcher = nil
        loop.stop()
        onStopped?()
    }

    // MARK: Accepting

    private func acceptConnections(_ listener: WorkerListener) {
        // Bounded per wake-up so one busy listener cannot starve the loop's other work.
        for _ in 0..<settings.acceptBatch {
            guard listener.connections.acquire() else {
                pauseAccepting(listener)
                return
            }
            switch Socket.accept(listener.fd) {
            case .accepted(let fd, let peer):
                try? Socket.setNoDelay(fd)
                let transport: Transport
                if let tls = listener.tls {
                    guard let stream = try? TLSStream(context: tls, fd: fd) else {
                        Socket.close(fd)
                        listener.connections.release()
                        continue
                    }
                    transport = .tls(fd: fd, stream: stream)
                } else {
                    transport = .plain(fd: fd)
                }
                let client = ClientConnection(worker: self, listener: listener, transport: transport, peer: peer)
                clients[ObjectIdentifier(client)] = client
                noteClientConnectionOpened(client)
            case .wouldBlock:
                listener.connections.release()
                return
            case .failed(let error):
                listener.connections.release()
                if error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM {
                    // Out of descriptors: the pending connection stays in the backlog and would
                    // wake the loop again at once. Step back for a moment instead of spinning.
                    pauseAccepting(listener)
                    scheduleAcceptRetry()
                }
                return
            }
        }
    }

    private func pauseAccepting(_ listener: WorkerListener) {
        guard !listener.paused else { return }
        listener.paused = true
        listener.acceptWatcher?.stop()
    }

    private func resumeAccepting() {
        guard !isShuttingDown else { return }
        for listener in listeners where listener.paused && listener.connections.current < listener.connections.limit {
            listener.paused = false
            listener.acceptWatcher?.start()
        }
    }

    private func scheduleAcceptRetry() {
        guard acceptRetryTimer == nil else { return }
        let timer = TimerWatcher(loop: loop) { [unowned self] in
            self.acceptRetryTimer = nil
            self.resumeAccepting()
        }
        timer.start(after: 0.1, repeat: 0)
        acceptRetryTimer = timer
    }

    // MARK: Connection bookkeeping

    func clientClosed(_ client: ClientConnection) {
        clients[ObjectIdentifier(client)] = nil
        client.listener.connections.release()
        noteClientConnectionClosed(client)
        if client.listener.paused { resumeAccepting() }
        if isShuttingDown { finishShutdownIfDone() }
    }

    func upstreamClosed(_ upstream: UpstreamConnection) {
        noteTargetConnectionClosed(upstream.target)
    }

    // MARK: Deferred writes

    /// Queues `client`'s deferred writes (`ClientConnection.deferredWrites`) to run once the
    /// loop's current callbacks are done, before it waits for events again. Before `start()`
    /// (or after the shutdown ends) there is no loop iteration to wait for: they run at once.
    @inline(__always)
    func deferWrites(of client: ClientConnection) {
        guard let watcher = deferredWritesWatcher else {
            client.runDeferredWrites()
            return
        }
        connectionsWithDeferredWrites.append(client)
        watcher.start()
    }

    /// Runs every queued connection's deferred writes, including any queued while running them
    /// (a pipelined request answered when its predecessor's response went out).
    private func runDeferredWrites() {
        // By index: writes may queue more connections while this runs; they are run too.
        var next = 0
        while next < connectionsWithDeferredWrites.count {
            connectionsWithDeferredWrites[next].runDeferredWrites()
            next += 1
        }
        connectionsWithDeferredWrites.removeAll(keepingCapacity: true)
        deferredWritesWatcher?.stop()
    }

    // MARK: Periodic work

    private func tick() {
        flushStatistics()
        let now = loop.now
        if now - lastSweep >= 1 {
            lastSweep = now
            for group in targets { for target in group { target.sweep(now: now, timeout: settings.timeouts.targetIdle) } }
            resumeAccepting()
        }
    }

    // MARK: Settings

    /// The monotonic clock the registry, pickers and statistics hub share (ev_now is wall-clock based).
    @inline(__always)
    func monotonicNow() -> Double { clock.now() }

    /// The length of a named timeout, or nil when none applies.
    @inline(__always)
    func timeoutSeconds(_ kind: ConnectionDeadline) -> Double? {
        switch kind {
        case .none: return nil
        case .clientIdle: return settings.timeouts.clientIdleKeepAlive
        case .tlsHandshake: return settings.timeouts.tlsHandshake
        case .clientBodyIdle: return settings.timeouts.clientBodyIdle
        case .clientWriteStall: return settings.timeouts.clientWriteStall
        case .clientLinger: return settings.timeouts.clientLinger
        case .clientHeaderRead: return settings.timeouts.clientHeaderRead
        case .targetConnect: return settings.timeouts.targetConnect
        case .targetResponse: return settings.timeouts.targetResponse
        case .shutdown: return settings.timeouts.shutdownGrace
        }
    }

    /// Appends an `X-Request-Id` field: the worker's random prefix and a counter, in hex.
    /// The counter's digits are written in place (no temporary, no table lookup).
    func appendRequestID(to out: IOBuffer) -> Bool {
        requestCounter &+= 1
        guard requestIDFieldStart.withUnsafeBytes({ out.append($0) }) else { return false }
        let counter = requestCounter
        return out.append(count: ProxyWorker.requestIDCounterLineLength) { line in
            var value = counter
            var position = ProxyWorker.requestIDCounterDigits
            while position > 0 {
                position &-= 1
                line[position] = ProxyWorker.hexDigit(UInt8(truncatingIfNeeded: value & 0xF))
                value >>= 4
            }
            line[ProxyWorker.requestIDCounterDigits] = UInt8(ascii: "\r")
            line[ProxyWorker.requestIDCounterDigits + 1] = UInt8(ascii: "\n")
        }
    }

    /// Hex digits of the request counter in an `X-Request-Id`.
    static let requestIDCounterDigits = 16
    /// The counter's digits and the CRLF ending the field line.
    static let requestIDCounterLineLength = requestIDCounterDigits + 2

    /// The lower-case hexadecimal digit of `nibble` (0...15).
    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &- 10 &+ nibble
    }
}
