import HTTPCore
import WharfIO

/// One TCP connection from a worker to a target.
///
/// A dumb pipe with buffers: while attached to a client connection it forwards its socket's
/// events to that connection, which runs the exchange; while pooled it only watches for the
/// target closing it. It never outlives its worker.
final class UpstreamConnection {
    enum State: Equatable {
        /// Non-blocking connect in progress.
        case connecting
        /// Serving an exchange of `owner`.
        case attached
        /// Idle in the worker's pool, since `idleSince`.
        case pooled
        case closed
    }

    /// A strong `let`, for the reason given on `ClientConnection.worker`.
    let worker: ProxyWorker
    let fd: Int32
    let target: WorkerTarget
    var state: State
    /// The client connection whose exchange this connection serves (only while attached or connecting).
    var owner: ClientConnection?
    /// Bytes for the target not yet written.
    var output: IOBuffer?
    /// Bytes from the target not yet processed.
    var input: IOBuffer?
    /// This connection has been pooled after a complete exchange: a failure on it before any
    /// response byte is taken for the target closing it while idle (the keep-alive race), and
    /// the request is retried (`ClientConnection.targetFailed`).
    var reused = false
    var idleSince = 0.0
    /// Bytes written to the target for the current exchange (0: the request never reached it).
    var sentBytes = 0
    var responseParser: HTTPResponseParser
    var responseHead = HTTPResponseHead()
    private var watcher: IOWatcher?

    init(worker: ProxyWorker, fd: Int32, target: WorkerTarget, connecting: Bool) {
        self.worker = worker
        self.fd = fd
        self.target = target
        self.state = connecting ? .connecting : .attached
        self.responseParser = HTTPResponseParser(limits: worker.httpLimits)
        // Set here so that an immediate connect gets it as well as one that completes later
        // (TCP_NODELAY may be set before the connect finishes). Best effort: a socket without it
        // still works, only slower for small writes.
        try? Socket.setNoDelay(fd)
        let watcher = IOWatcher(loop: worker.loop, fd: fd, events: connecting ? .write : .read) { [unowned(unsafe) self] events in
            self.handle(events)
        }
        self.watcher = watcher
        watcher.start()
    }

    /// Sets which readiness events are delivered (libev is touched only on a change).
    @inline(__always)
    func want(_ events: IOEvents) {
        watcher?.want(events)
    }

    /// Stops reading (back-pressure: no room towards the client); a pending write still completes.
    @inline(__always)
    func pauseReading() {
        want((watcher?.delivered ?? []).subtracting(.read))
    }

    /// Reads again once the client has room.
    @inline(__always)
    func resumeReading() {
        want((watcher?.delivered ?? []).union(.read))
    }


    private func handle(_ events: IOEvents) {
        switch state {
        case .connecting:
            owner?.upstreamConnectFinished(self)
        case .attached:
            if events.contains(.write) { owner?.upstreamWritable(self) }
            if events.contains(.read), state == .attached { owner?.upstreamReadable(self) }
        case .pooled:
            // An idle pooled connection has nothing to say: any readiness is the target closing
            // it (or talking out of turn, which is as bad). Drop it now rather than on next use.
            target.removeIdle(self)
            close()
        case .closed:
            break
        }
    }

    /// Writes as much of `output` as the socket takes.
    @inline(__always)
    func flush() -> FlushOutcome {
        guard let output else { return .drained }
        while output.readableBytes > 0 {
            switch Socket.write(fd, from: output.readableBytesView) {
            case .bytes(let n):
                output.consume(n)
                sentBytes += n
            case .wouldBlock:
                return .pending
            case .failed(let e):
                return .failed(errno: e)
            }
        }
        worker.buffers.give(output)
        self.output = nil
        return .drained
    }

    /// Takes the output buffer, allocating one from the worker's pool if needed.
    @inline(__always)
    func outputBuffer() -> IOBuffer {
        worker.buffers.buffer(in: &output)
    }

    /// Takes the input buffer, allocating one from the worker's pool if needed.
    @inline(__always)
    func inputBuffer() -> IOBuffer {
        worker.buffers.buffer(in: &input)
    }

    /// Returns empty buffers to the pool.
    func releaseEmptyBuffers() {
        worker.buffers.releaseIfEmpty(&input)
        worker.buffers.releaseIfEmpty(&output)
    }

    /// Closes the socket and releases everything. Safe to call twice.
    func close(reset: Bool = false) {
        guard state != .closed else { return }
        state = .closed
        owner = nil
        watcher?.stop()
        watcher = nil
        worker.buffers.release(&input)
        worker.buffers.release(&output)
        if reset { try? Socket.setLinger0(fd) }
        Socket.close(fd)
        worker.upstreamClosed(self)
    }
}

/// What writing a buffer out did.
enum FlushOutcome {
    case drained
    case pending
    case failed(errno: Int32)
}
