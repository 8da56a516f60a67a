import HTTPCore
import WharfIO

/// One client connection accepted by a worker: the server side of Wharf's HTTP/1.1 engine.
///
/// An explicit state machine over one socket (plain or TLS). It parses request heads with
/// `HTTPCore`, then either proxies the exchange to a target (`ClientConnection+Request`,
/// `+Response`) or hands the request to an in-process application (the ECS API, the
/// dashboard). Requests on one connection are served one at a time, so pipelined requests are
/// answered in order: their bytes wait in the input buffer until the exchange before them ends.
///
/// Buffers come from the worker's pool and go back when empty, so an idle keep-alive
/// connection holds only this object, its watchers and (for TLS) its session.
final class ClientConnection {
    enum State: Equatable {
        /// TLS handshake in progress.
        case handshaking
        /// Between requests, nothing buffered: `clientIdleKeepAlive` runs.
        case idle
        /// Part of a request head has arrived: `clientHeaderRead` runs.
        case readingHead
        /// An exchange with a target is in progress.
        case proxying
        /// An in-process application is producing the response.
        case application
        /// After a 101 Switching Protocols: bytes relayed both ways.
        case tunnel
        /// The last response is being flushed; the connection closes after it.
        case closing
        /// After an error response that ended the connection while the client may still be
        /// sending: our side is shut down, and what arrives is read and discarded until the
        /// client closes or `clientLinger` runs out (`ClientConnection+Linger`).
        case lingering
        case closed
    }

    /// A strong `let`: the request path reads the worker (and its `let`s) borrowed, with no
    /// retain/release (an `unowned(unsafe)` reference is retained on every load). The cycle
    /// through the worker's tables ends when the connection closes (the worker drops it then),
    /// and a worker closes every connection before it stops.
    let worker: ProxyWorker
    let listener: WorkerListener
    var transport: Transport
    let peer: SocketAddress
    /// The client's address as text, for `X-Forwarded-For`.
    let peerHost: [UInt8]
    var state: State
    var input: IOBuffer?
    var output: IOBuffer?
    var parser: HTTPRequestParser
    var head = HTTPRequestHead()
    var exchange = ProxyExchange()
    var application = ApplicationExchange()
    /// The client shut down its sending side: finish the current response, then close.
    var clientReadClosed = false
    /// The response being flushed in `closing` ends a request the client may not have
    /// finished sending: linger after it instead of closing at once.
    var lingerAfterClosing = false
    /// A TLS read needs the socket to be writable first (a TLS 1.2 renegotiation or key update).
    var readNeedsWritable = false
    /// Writes put off until the worker's loop is about to wait for events (`deferWrite`).
    private(set) var deferredWrites: DeferredWrites = []

    private var watcher: IOWatcher?
    private var timer: TimerWatcher?
    /// When the current timeout expires (event-loop seconds), and which one it is.
    private(set) var deadline = 0.0
    private(set) var deadlineKind = ConnectionDeadline.none
    /// When the libev timer is set to fire; later deadlines re-arm it lazily when it fires.
    private var timerFiresAt = 0.0

    init(worker: ProxyWorker, listener: WorkerListener, transport: Transport, peer: SocketAddress) {
        self.worker = worker
        self.listener = listener
        self.transport = transport
        self.peer = peer
        self.peerHost = Array(peer.ip.utf8)
        self.parser = HTTPRequestParser(limits: worker.httpLimits)
        self.state = transport.isTLS ? .handshaking : .idle
        let watcher = IOWatcher(loop: worker.loop, fd: transport.fd, events: .read) { [unowned(unsafe) self] events in
            self.handle(events)
        }
        self.watcher = watcher
        watcher.start()
        self.timer = TimerWatcher(loop: worker.loop) { [unowned(unsafe) self] in
            self.timerFired()
        }
        setDeadline(transport.isTLS ? .tlsHandshake : .clientIdle)
    }

    // MARK: Events

    private func handle(_ events: IOEvents) {
        if state == .handshaking {
            continueHandshake()
            return
        }
        if state == .lingering {
            discardLingeringInput()
            return
        }
        if events.contains(.write) {
            if readNeedsWritable {
                readNeedsWritable = false
                readFromClient()
                if state == .closed { return }
            }
            flushOutput()
            if state == .closed { return }
        }
        if events.contains(.read) {
            readFromClient()
        }
    }

    /// Sets which readiness events are delivered (libev is touched only on a change). Every
    /// change of this connection's events goes through here, and this is the one place that
    /// reads bytes TLS already holds.
    ///
    /// Bytes TLS took from the socket (read ahead, or the rest of a record that did not fit)
    /// do not make the socket readable. When a change switches reading on (after
    /// back-pressure, after a handshake step) or re-arms the watcher with reading on (which
    /// drops a read already due, a fed one included), and TLS holds such bytes, a read is fed
    /// for the loop's next round (not done from here, in the middle of whatever called this).
    /// When the events stay as they are nothing is fed: while reading stays on,
    /// `readFromClient` goes on as long as TLS holds bytes, so a queued read would find EAGAIN.
    /// Kernel-reported readiness needs nothing: it is level-triggered, so a re-armed watcher
    /// reports it again.
    @inline(__always)
    func want(_ events: IOEvents) {
        guard state != .closed, let watcher else { return }
        let before = watcher.delivered
        watcher.want(events)
        if events != before, events.contains(.read), !readNeedsWritable, transport.hasBufferedBytes {
            watcher.feed(.read)
        }
    }

    /// Recomputes the readiness events this connection needs from its state.
    func updateInterest() {
        var events: IOEvents = []
        if acceptsClientBytes { events.insert(.read) }
        if let output, output.readableBytes > 0 { events.insert(.write) }
        if readNeedsWritable { events.insert(.write) }
        want(events)
    }

    /// Whether reading from the client now makes progress (else reading pauses: back-pressure).
    private var acceptsClientBytes: Bool {
        if clientReadClosed { return false }
        switch state {
        case .idle, .readingHead, .proxying, .application, .tunnel:
            guard let input else { return true }
            return input.writableBytes > 0 || input.readableBytes < input.capacity
        case .handshaking, .lingering:
            return true
        case .closing, .closed:
            return false
        }
    }

    // MARK: TLS

    private func continueHandshake() {
        guard case .tls(_, let stream) = transport else { return }
        switch stream.handshake() {
        case .done, .bytes:
            state = .idle
            setDeadline(.clientIdle)
            want(.read)
            readFromClient()
        case .wantRead:
            want(.read)
        case .wantWrite:
            want(.write)
        case .closed, .failed:
            close(graceful: false)
        }
    }

    // MARK: Reading

    @inline(__always)
    func inputBuffer() -> IOBuffer {
        worker.buffers.buffer(in: &input)
    }

    @inline(__always)
    func outputBuffer() -> IOBuffer {
        worker.buffers.buffer(in: &output)
    }

    /// Reads what the socket has, processing it as it arrives.
    func readFromClient() {
        reading: while state != .closed && state != .closing && state != .lingering && !clientReadClosed {
            let buffer = inputBuffer()
            if buffer.writableBytes == 0 {
                buffer.compact()
                if buffer.writableBytes == 0 {
                    // Full: stop reading until the exchange consumes some of it.
                    updateInterest()
                    return
                }
            }
            let room = buffer.writableBytes
            switch transport.read(into: buffer.writableBytesView) {
            case .bytes(let n):
                buffer.commitWrite(n)
                worker.noteClientBytesIn(self, n)
                processInput()
                // Level-triggered epoll: a short read means the socket is drained, so skip the
                // read that would only say EAGAIN, unless TLS holds bytes it read ahead.
                if n < room && !transport.hasBufferedBytes { break reading }
            case .wantRead:
                releaseEmptyInput()
                return
            case .wantWrite:
                readNeedsWritable = true
                updateInterest()
                return
            case .closed:
                clientClosedSendingSide()
                return
            case .failed:
                abort()
                return
            }
        }
        if state != .closed { releaseEmptyInput() }
    }

    /// Routes buffered client bytes to whatever the current state does with them.
    func processInput() {
        switch state {
        case .idle, .readingHead:
            parseRequestHead()
        case .proxying:
            if !exchange.requestComplete { forwardRequestBody() }
        case .tunnel:
            forwardTunnelToTarget()
        case .application:
            if !application.bodyComplete { collectApplicationBody() }
        case .handshaking, .closing, .lingering, .closed:
            break
        }
    }

    private func clientClosedSendingSide() {
        clientReadClosed = true
        switch state {
        case .idle, .handshaking:
            close(graceful: true)
        case .readingHead:
            // A partial head and then EOF: nothing to answer.
            close(graceful: false)
        case .proxying:
            if !exchange.requestComplete {
                abort()
            } else {
                // Half-close after a complete request: answer it, then close.
                exchange.clientKeepAlive = false
                updateInterest()
            }
        case .tunnel:
            tunnelClientClosed()
        case .application:
            application.keepAlive = false
            updateInterest()
        case .closing, .lingering, .closed:
            break
        }
    }

    func releaseEmptyInput() {
        worker.buffers.releaseIfEmpty(&input)
    }

    // MARK: Writing

    /// Writes buffered output; resumes a paused target read once there is room again.
    func flushOutput() {
        // Whoever flushes now does the deferred client write too: running it again later would
        // see the output drained and run `outputDrained` a second time.
        deferredWrites.remove(.client)
        guard let output else {
            outputDrained()
            return
        }
        while output.readableBytes > 0 {
            switch transport.write(from: output.readableBytesView) {
            case .bytes(let n):
                output.consume(n)
                worker.noteClientBytesOut(self, n)
            case .wantWrite, .wantRead:
                want((watcher?.delivered ?? []).union(.write))
                return
            case .closed, .failed:
                abort()
                return
            }
        }
        worker.buffers.give(output)
        self.output = nil
        outputDrained()
    }

    /// Puts a write off until the worker's loop has run this iteration's other callbacks
    /// (`DeferredWrites`); the bytes wait in their buffer meanwhile, as after a short write.
    @inline(__always)
    func deferWrite(_ write: DeferredWrites) {
        // Inserted first: a worker with no loop-end watcher (before it starts, after shutdown)
        // runs the connection's deferred writes at once, which must find this one.
        let first = deferredWrites.isEmpty
        deferredWrites.insert(write)
        if first { worker.deferWrites(of: self) }
    }

    /// Does the writes put off by `deferWrite`, as they stand now: the exchange may have moved
    /// on (a write event flushed the bytes, the target failed and the request went elsewhere,
    /// the connection closed), so each is checked against the current state first.
    func runDeferredWrites() {
        let writes = deferredWrites
        deferredWrites = []
        if writes.contains(.target), state == .proxying, exchange.phase != .connecting,
            let upstream = exchange.upstream, upstream.state == .attached
        {
            flushToTarget(upstream)
        }
        if writes.contains(.client), state != .closed {
            flushOutput()
        }
    }

    private func outputDrained() {
        switch state {
        case .closing:
            if lingerAfterClosing && !clientReadClosed && !worker.isShuttingDown {
                startLingering()
            } else {
                close(graceful: true)
            }
            return
        case .proxying, .tunnel:
            // The target side may be paused waiting for room in our output buffer.
            if let upstream = exchange.upstream, upstream.state == .attached {
                resumeTargetRead(upstream)
            }
        case .application:
            continueApplicationResponse()
        default:
            break
        }
        if state != .closed { updateInterest() }
    }

    // MARK: Timeouts

    /// Sets the timeout that applies from now on.
    func setDeadline(_ kind: ConnectionDeadline) {
        deadlineKind = kind
        guard let seconds = worker.timeoutSeconds(kind) else {
            deadline = 0
            return
        }
        deadline = worker.loop.now + seconds
        // The timer only ever needs to fire no later than the deadline; a later deadline is
        // picked up lazily when it fires, so most requests make no libev timer call at all.
        if timerFiresAt == 0 || deadline < timerFiresAt {
            timerFiresAt = deadline
            timer?.start(after: seconds, repeat: 0)
        }
    }

    private func timerFired() {
        timerFiresAt = 0
        guard deadline != 0, state != .closed else { return }
        let now = worker.loop.now
        if now + 0.001 < deadline {
            timerFiresAt = deadline
            timer?.start(after: deadline - now, repeat: 0)
            return
        }
        deadlineExpired(deadlineKind)
    }

    private func deadlineExpired(_ kind: ConnectionDeadline) {
        switch kind {
        case .none:
            break
        case .clientLinger:
            close(graceful: false)
        case .clientIdle, .tlsHandshake, .clientBodyIdle, .clientWriteStall, .shutdown:
            if state == .proxying, exchange.upstream != nil {
                abortExchange()
            }
            close(graceful: state == .idle)
        case .clientHeaderRead:
            respondWithError(.requestTimeout, close: true)
        case .targetConnect:
            targetConnectTimedOut()
        case .targetResponse:
            targetResponseTimedOut()
        }
    }

    // MARK: Ending

    /// Tears the connection down at once (errors, resets): the current exchange is abandoned.
    func abort() {
        if state == .proxying || state == .tunnel { abortExchange() }
        close(graceful: false)
    }

    /// Closes the connection and releases everything. Safe to call twice.
    func close(graceful: Bool) {
        guard state != .closed else { return }
        state = .closed
        watcher?.stop()
        watcher = nil
        timer?.stop()
        timer = nil
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            upstream.close()
        }
        worker.buffers.release(&input)
        worker.buffers.release(&output)
        transport.close(graceful: graceful)
        worker.clientClosed(self)
    }
}
