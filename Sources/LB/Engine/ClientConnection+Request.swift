import Glibc
import HTTPCore
import WharfIO

/// The request half of a proxied exchange: parsing the head, choosing a target, sending the
/// request (retrying on another target when that is safe), streaming the body.
extension ClientConnection {
    /// Why an attempt to reach a target failed.
    enum TargetFailure {
        /// The connection could not be established (refused, unreachable, timed out).
        case connect(errno: Int32)
        /// The connection broke (reset, EOF) before any response byte arrived.
        case broken(errno: Int32)

        /// How the target's picker sees it (passive health).
        var outcome: RequestOutcome {
            switch self {
            case .connect(let error): return error == ETIMEDOUT ? .timedOut : .connectFailed
            case .broken: return .connectionReset
            }
        }
    }


    // MARK: Head

    func parseRequestHead() {
        guard let input, input.readableBytes > 0 else { return }
        if state == .idle {
            state = .readingHead
            setDeadline(.clientHeaderRead)
        }
        // A buffer holds more than the longest head (`WorkerSettings.bufferSize`), so an
        // incomplete head always has room to grow: the parser's 431 comes first.
        switch parser.parse(input.readableBytesView, into: &head) {
        case .incomplete:
            break
        case .failed(let error):
            respondWithError(LBErrorCode(refusing: error), close: true)
        case .complete:
            parser.reset()
            beginRequest()
        }
    }

    private func beginRequest() {
        guard let input else { return }
        exchange = ProxyExchange()
        exchange.startedAt = worker.loop.now
        exchange.method = head.method
        exchange.clientIsHTTP10 = head.version == .http1_0
        exchange.clientKeepAlive = head.keepAlive && !worker.isShuttingDown
        exchange.requestIsUpgrade = head.upgradeRequested
        worker.noteRequestReceived(self)
        if listener.application != nil {
            beginApplicationRequest()
            return
        }
        state = .proxying

        // Framing of the request body. A request that is entirely in the buffer stays there
        // (retained) until its response is complete, so it can be sent again to another target.
        let headLength = head.headLength
        let available = input.readableBytes - headLength
        switch head.framing {
        case .none:
            exchange.requestComplete = true
            exchange.retained = true
            exchange.retainedLength = headLength
        case .contentLength(let length):
            if length <= available {
                exchange.requestComplete = true
                exchange.retained = true
                exchange.retainedLength = headLength + length
            } else {
                exchange.requestBodyRemaining = length
            }
        case .chunked:
            exchange.requestBodyChunked = true
            var scanner = ChunkedScanner()
            let body = UnsafeRawBufferPointer(rebasing: input.readableBytesView[headLength...])
            switch scanner.scan(body) {
            case .consumed(let count, let finished):
                if finished {
                    exchange.requestComplete = true
                    exchange.retained = true
                    exchange.retainedLength = headLength + count
                }
            case .failed:
                respondWithError(.badRequest, close: true)
                return
            }
        }
        guard let group = listener.defaultGroupIndex else {
            respondWithError(.serviceUnavailable, close: !exchange.requestComplete)
            return
        }
        exchange.groupIndex = group
        sendToTarget(excluding: nil, carrying: nil)
    }

    // MARK: Target

    /// Picks a target and starts sending the request to it. `carrying` is the request bytes of a
    /// failed attempt that never reached its target (a streamed request that cannot be rebuilt).
    /// `statusWhenNoTarget` answers when no target can be picked: 503 for a first attempt, the
    /// failed attempt's own status (502, 504) for a retry that finds no other target.
    /// `newConnection` skips the target's pool (a retry after a pooled connection went stale).
    func sendToTarget(
        excluding excluded: TargetID?, carrying: IOBuffer?, statusWhenNoTarget: LBErrorCode = .serviceUnavailable,
        newConnection: Bool = false
    ) {
        guard let (index, target) = worker.pickTarget(group: exchange.groupIndex, excluding: excluded) else {
            if let carrying { worker.buffers.give(carrying) }
            respondWithError(statusWhenNoTarget, close: !exchange.requestComplete)
            return
        }
        // A retry is counted (on the failed target, still the exchange's) once it has somewhere to go.
        if exchange.attempts > 0 { worker.noteRetry(self) }
        exchange.targetIndex = index
        exchange.targetID = target.id
        exchange.generation = worker.routing.table.generation
        exchange.groupName = target.groupName
        exchange.attempts += 1
        worker.noteTargetRequestStarted(self, group: exchange.groupIndex, target: index)

        let upstream: UpstreamConnection
        var connected = true
        if !newConnection, let pooled = target.takeIdle() {
            pooled.state = .attached
            upstream = pooled
        } else {
            switch Socket.connect(to: target.address) {
            case .connected(let fd):
                upstream = UpstreamConnection(worker: worker, fd: fd, target: target, connecting: false)
                worker.noteTargetConnectionOpened(target)
            case .inProgress(let fd):
                upstream = UpstreamConnection(worker: worker, fd: fd, target: target, connecting: true)
                worker.noteTargetConnectionOpened(target)
                connected = false
            case .failed(let error):
                targetFailed(nil, .connect(errno: error), carrying: carrying)
                return
            }
        }
        upstream.owner = self
        upstream.sentBytes = 0
        exchange.upstream = upstream
        // The phase before composing: composing forwards the body bytes already here, and
        // those must not be written (nor the socket's interest changed from the write
        // readiness that reports the connect) while the connection is being established.
        exchange.phase = connected ? .sendingRequest : .connecting
        if let carrying {
            if let previous = upstream.output { worker.buffers.give(previous) }
            upstream.output = carrying
        } else {
            composeRequest(for: upstream)
            if state != .proxying { return }
        }
        if connected {
            // Sent with the rest of this loop iteration's writes (`DeferredWrites`).
            deferWrite(.target)
        } else {
            setDeadline(.targetConnect)
        }
    }

    /// Writes the rewritten head (and the body, when retained) into the target's output.
    private func composeRequest(for upstream: UpstreamConnection) {
        guard let input else { return }
        let out = upstream.outputBuffer()
        let base = input.readableBytesView
        guard HeadRewriter.writeRequestHead(head, base: base, connection: self, into: out) else {
            respondWithError(.requestHeaderFieldsTooLarge, close: true)
            return
        }
        if exchange.retained {
            let body = UnsafeRawBufferPointer(rebasing: base[head.headLength..<exchange.retainedLength])
            if body.isEmpty || out.append(body) { return }
            // The rewritten head and body together overflow one buffer: stream the body instead.
            exchange.retained = false
            exchange.requestComplete = false
            if exchange.requestBodyChunked {
                exchange.requestChunks = ChunkedScanner()
            } else {
                exchange.requestBodyRemaining = exchange.retainedLength - head.headLength
            }
        }
        input.consume(head.headLength)
        forwardRequestBody()
    }

    /// Moves request body bytes from the client's input to the target's output (streaming).
    func forwardRequestBody() {
        guard let upstream = exchange.upstream, let input, !exchange.requestComplete else { return }
        let out = upstream.outputBuffer()
        if out.writableBytes == 0 { out.compact() }
        let count = min(input.readableBytes, out.writableBytes)
        if count > 0 {
            let slice = UnsafeRawBufferPointer(rebasing: input.readableBytesView[..<count])
            if exchange.requestBodyChunked {
                switch exchange.requestChunks.scan(slice) {
                case .consumed(let used, let finished):
                    _ = out.append(UnsafeRawBufferPointer(rebasing: slice[..<used]))
                    input.consume(used)
                    if finished { exchange.requestComplete = true }
                case .failed:
                    abortExchange()
                    respondWithError(.badRequest, close: true)
                    return
                }
            } else {
                let used = min(count, exchange.requestBodyRemaining)
                _ = out.append(UnsafeRawBufferPointer(rebasing: slice[..<used]))
                input.consume(used)
                exchange.requestBodyRemaining -= used
                if exchange.requestBodyRemaining == 0 { exchange.requestComplete = true }
            }
        } else if exchange.requestBodyRemaining == 0 && !exchange.requestBodyChunked {
            exchange.requestComplete = true
        }
        if exchange.phase != .connecting { flushToTarget(upstream) }
        if !exchange.requestComplete { setDeadline(.clientBodyIdle) }
    }

    /// Writes what is buffered for the target; moves the exchange on when the request is out.
    func flushToTarget(_ upstream: UpstreamConnection) {
        switch flushCountingBytes(upstream) {
        case .drained:
            if exchange.requestComplete {
                if exchange.phase == .sendingRequest || exchange.phase == .connecting {
                    exchange.phase = .awaitingResponse
                    exchange.requestSentAt = worker.loop.now
                    setDeadline(.targetResponse)
                }
                upstream.want(.read)
            } else {
                upstream.want(.read)
                // The output may have been full when the client's bytes arrived: body bytes can
                // be waiting in the input, with no further client read coming to move them.
                if let input, input.readableBytes > 0 {
                    forwardRequestBody()
                    return
                }
                updateInterest()
            }
        case .pending:
            upstream.want([.read, .write])
        case .failed(let error):
            targetFailed(upstream, .broken(errno: error), carrying: nil)
        }
    }

    /// `upstream.flush()`, with the bytes it wrote counted as sent to the target (request
    /// bytes and tunnelled bytes alike).
    @inline(__always)
    func flushCountingBytes(_ upstream: UpstreamConnection) -> FlushOutcome {
        let sentBefore = upstream.sentBytes
        let outcome = upstream.flush()
        if upstream.sentBytes > sentBefore { worker.noteTargetBytesOut(self, upstream.sentBytes - sentBefore) }
        return outcome
    }

    // MARK: Target events

    func upstreamConnectFinished(_ upstream: UpstreamConnection) {
        let error = Socket.connectError(upstream.fd)
        if error != 0 {
            targetFailed(upstream, .connect(errno: error), carrying: nil)
            return
        }
        upstream.state = .attached
        exchange.phase = .sendingRequest
        if exchange.requestComplete {
            setDeadline(.targetResponse)
        } else {
            setDeadline(.clientBodyIdle)
        }
        forwardRequestBody()
        flushToTarget(upstream)
    }

    func upstreamWritable(_ upstream: UpstreamConnection) {
        if state == .tunnel {
            flushTunnelToTarget(upstream)
            return
        }
        forwardRequestBody()
        if exchange.requestComplete || exchange.upstream?.output != nil {
            flushToTarget(upstream)
        }
    }

    func targetConnectTimedOut() {
        targetFailed(exchange.upstream, .connect(errno: ETIMEDOUT), carrying: nil)
    }

    func targetResponseTimedOut() {
        guard let upstream = exchange.upstream else { return }
        exchange.upstream = nil
        worker.noteTargetRequestFinished(self, outcome: .timedOut)
        upstream.close(reset: true)
        respondWithError(.gatewayTimeout, close: true)
    }

    /// An attempt failed before any response byte: retry on another target when the rules
    /// allow it (the request never reached the target, or it is idempotent and can be rebuilt),
    /// else answer 502 (504 for a connect timeout).
    ///
    /// A pooled connection that breaks before any response byte is the keep-alive race: the
    /// target closed it while idle just as the request went out, so it never processed the
    /// request. That request is sent again, whatever its method, on a new connection to any
    /// target (the same one included, which is not at fault), as HAProxy does.
    func targetFailed(_ upstream: UpstreamConnection?, _ failure: TargetFailure, carrying: IOBuffer?) {
        let reachedTarget = (upstream?.sentBytes ?? 0) > 0
        var staleConnection = false
        if case .broken = failure, upstream?.reused == true, !exchange.responseBytesReceived, !exchange.retriedStaleConnection {
            staleConnection = true
        }
        var carried = carrying
        if let upstream {
            // A request that never reached its target is still whole in the output buffer.
            if !reachedTarget && !exchange.retained, let output = upstream.output {
                upstream.output = nil
                carried = output
            }
            exchange.upstream = nil
            upstream.close(reset: true)
        }
        worker.noteTargetRequestFinished(self, outcome: staleConnection ? .abandoned : failure.outcome)
        let failedTarget = exchange.targetID
        let retryable: Bool
        let countedAttempts = exchange.attempts - (exchange.retriedStaleConnection ? 1 : 0)
        if exchange.responseBytesReceived || (!staleConnection && countedAttempts >= worker.settings.maxAttempts) {
            retryable = false
        } else if !reachedTarget {
            retryable = exchange.retained || carried != nil
        } else if staleConnection {
            retryable = exchange.retained
        } else {
            retryable = exchange.retained && exchange.isIdempotent
        }
        var status = LBErrorCode.badGateway
        if case .connect(let error) = failure, error == ETIMEDOUT { status = .gatewayTimeout }
        if retryable {
            if staleConnection { exchange.retriedStaleConnection = true }
            // With no other target, the client learns of this failure (ALB: 502 for a refused
            // connection), not of an empty group (503).
            // A retained request is rebuilt from the client's buffer; only a streamed one that
            // never reached its target carries its bytes over (`carried` is nil otherwise).
            sendToTarget(
                excluding: staleConnection ? nil : failedTarget, carrying: carried, statusWhenNoTarget: status,
                newConnection: staleConnection)
            return
        }
        if let carried { worker.buffers.give(carried) }
        respondWithError(status, close: !exchange.requestComplete)
    }

    /// Drops the exchange's target connection without answering (the client is going away or
    /// the response cannot be completed).
    func abortExchange() {
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            worker.noteTargetRequestFinished(self, outcome: .abandoned)
            upstream.close(reset: true)
        }
        exchange.phase = .none
    }
}
