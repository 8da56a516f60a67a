import HTTPCore
import WharfIO

/// The response half of a proxied exchange: reading the target, checking the response's
/// framing, relaying it to the client with back-pressure, and ending the exchange.
extension ClientConnection {
    func upstreamReadable(_ upstream: UpstreamConnection) {
        if state == .tunnel {
            relayTunnelFromTarget(upstream)
            return
        }
        reading: while state == .proxying, exchange.upstream === upstream {
            // Back-pressure: no room towards the client means no reading from the target. The
            // flush below sends what fills the buffer (or waits for the client to be writable);
            // its draining resumes the target.
            if let output, output.writableBytes == 0 {
                output.compact()
                if output.writableBytes == 0 {
                    upstream.pauseReading()
                    break reading
                }
            }
            let buffer = upstream.inputBuffer()
            if buffer.writableBytes == 0 {
                buffer.compact()
                if buffer.writableBytes == 0 {
                    // Only a response head can fill the buffer without being consumed.
                    badResponse(upstream)
                    return
                }
            }
            let room = buffer.writableBytes
            switch Socket.read(upstream.fd, into: buffer.writableBytesView) {
            case .bytes(let n):
                buffer.commitWrite(n)
                exchange.responseBytesReceived = true
                worker.noteTargetBytesIn(self, n)
                processResponse(upstream)
                if n < room { break reading }
            case .wouldBlock:
                upstream.releaseEmptyBuffers()
                break reading
            case .endOfFile:
                targetClosed(upstream, errno: 0)
                return
            case .failed(let error):
                targetClosed(upstream, errno: error)
                return
            }
        }
        flushRelayedOutput()
    }

    /// Writes what was relayed to the client, unless the response completed and its write was
    /// deferred to the end of the loop iteration (`finishExchange`): a response still streaming
    /// is written now, so its buffer makes room for the next read, and a complete one stays in
    /// the iteration's batch of writes (which is what deferring it buys: wrk and the targets are
    /// woken once per batch).
    private func flushRelayedOutput() {
        if state != .closed, output != nil, !deferredWrites.contains(.client) { flushOutput() }
    }

    /// Resumes reading the target after the client drained its output.
    func resumeTargetRead(_ upstream: UpstreamConnection) {
        guard state == .proxying || state == .tunnel else { return }
        upstream.resumeReading()
        if let input = upstream.input, input.readableBytes > 0 {
            if state == .tunnel {
                relayTunnelFromTarget(upstream)
            } else {
                processResponse(upstream)
                flushRelayedOutput()
            }
        }
    }

    /// Consumes what the target sent: response heads, then body bytes relayed to the client.
    func processResponse(_ upstream: UpstreamConnection) {
        while state == .proxying, exchange.upstream === upstream, let input = upstream.input, input.readableBytes > 0 {
            switch exchange.phase {
            case .connecting, .sendingRequest, .awaitingResponse:
                guard parseResponseHead(upstream, input) else { return }
            case .relayingResponse:
                guard relayResponseBody(upstream, input) else { return }
            case .tunnel, .none:
                return
            }
        }
    }

    /// Returns false when processing must stop (incomplete head, no room, or the exchange ended).
    private func parseResponseHead(_ upstream: UpstreamConnection, _ input: IOBuffer) -> Bool {
        let status = upstream.responseParser.parse(
            input.readableBytesView, into: &upstream.responseHead,
            requestMethod: exchange.method, requestWasUpgrade: exchange.requestIsUpgrade
        )
        switch status {
        case .incomplete:
            return false
        case .failed:
            badResponse(upstream)
            return false
        case .complete:
            break
        }
        let response = upstream.responseHead
        let out = outputBuffer()
        if out.writableBytes < response.headLength + HeadRewriter.addedResponseBytes {
            out.compact()
            if out.writableBytes < response.headLength + HeadRewriter.addedResponseBytes {
                if out.readableBytes == 0 {
                    badResponse(upstream)  // a head bigger than a buffer
                } else {
                    upstream.pauseReading()  // wait for the client
                }
                return false
            }
        }
        upstream.responseParser.reset()
        if response.isInformational && !response.isSwitchingProtocols {
            // 100 Continue, 103 Early Hints: relayed to HTTP/1.1 clients; the final response follows.
            if !exchange.clientIsHTTP10 {
                _ = HeadRewriter.writeInformationalHead(response, base: input.readableBytesView, into: out)
            }
            input.consume(response.headLength)
            return true
        }
        if response.isSwitchingProtocols {
            // Only ever for an upgrade request: the parser refuses a 101 to any other.
            exchange.responseStatus = response.status
            // A 101 has no body: nothing to de-chunk.
            _ = HeadRewriter.writeResponseHead(
                response, base: input.readableBytesView, dechunk: false,
                clientIsHTTP10: exchange.clientIsHTTP10, keepAlive: true, into: out)
            input.consume(response.headLength)
            worker.noteResponseHead(self, status: response.status)
            beginTunnel(upstream)
            return false
        }
        exchange.responseStatus = response.status
        exchange.responseFraming = response.framing
        exchange.responseKeepAlive = response.keepAlive
        switch response.framing {
        case .contentLength(let length):
            exchange.responseBodyRemaining = length
        case .chunked:
            exchange.responseChunks = ChunkedScanner()
            exchange.dechunkForClient = exchange.clientIsHTTP10
        case .untilClose, .none:
            break
        }
        var keepClient = exchange.clientKeepAlive && !clientReadClosed && !worker.isShuttingDown
        if case .untilClose = response.framing { keepClient = false }
        if exchange.dechunkForClient { keepClient = false }
        exchange.clientKeepAlive = keepClient
        _ = HeadRewriter.writeResponseHead(
            response, base: input.readableBytesView, dechunk: exchange.dechunkForClient,
            clientIsHTTP10: exchange.clientIsHTTP10, keepAlive: keepClient, into: out)
        exchange.responseHeadSent = true
        input.consume(response.headLength)
        worker.noteResponseHead(self, status: response.status)
        exchange.phase = .relayingResponse
        if case .none = response.framing {
            responseComplete(upstream)
            return false
        }
        if case .contentLength(0) = response.framing {
            responseComplete(upstream)
            return false
        }
        setDeadline(.targetResponse)
        return true
    }

    /// Moves body bytes from the target's input to the client's output. Returns false when
    /// processing must stop.
    private func relayResponseBody(_ upstream: UpstreamConnection, _ input: IOBuffer) -> Bool {
        let out = outputBuffer()
        if out.writableBytes == 0 {
            out.compact()
            if out.writableBytes == 0 {
                upstream.pauseReading()
                return false
            }
        }
        let count = min(input.readableBytes, out.writableBytes)
        let slice = UnsafeRawBufferPointer(rebasing: input.readableBytesView[..<count])
        switch exchange.responseFraming {
        case .contentLength:
            let used = min(count, exchange.responseBodyRemaining)
            _ = out.append(UnsafeRawBufferPointer(rebasing: slice[..<used]))
            input.consume(used)
            exchange.responseBodyRemaining -= used
            if exchange.responseBodyRemaining == 0 {
                responseComplete(upstream)
                return false
            }
        case .chunked:
            let result: ChunkedScanResult
            if exchange.dechunkForClient {
                result = exchange.responseChunks.scan(slice) { data in _ = out.append(data) }
            } else {
                result = exchange.responseChunks.scan(slice)
            }
            switch result {
            case .consumed(let used, let finished):
                if !exchange.dechunkForClient {
                    _ = out.append(UnsafeRawBufferPointer(rebasing: slice[..<used]))
                }
                input.consume(used)
                if finished {
                    responseComplete(upstream)
                    return false
                }
            case .failed:
                // The head has gone out already; the client can only learn of it by the close.
                abort()
                return false
            }
        case .untilClose:
            _ = out.append(slice)
            input.consume(count)
        case .none:
            responseComplete(upstream)
            return false
        }
        return true
    }

    /// The target closed its connection (or reset it).
    private func targetClosed(_ upstream: UpstreamConnection, errno: Int32) {
        switch exchange.phase {
        case .relayingResponse:
            if case .untilClose = exchange.responseFraming, errno == 0 {
                responseComplete(upstream)
                flushRelayedOutput()
            } else {
                // A truncated response: the client sees the connection close.
                abort()
            }
        case .tunnel:
            tunnelTargetClosed()
        case .connecting, .sendingRequest, .awaitingResponse:
            if exchange.responseBytesReceived {
                badResponse(upstream)
            } else {
                targetFailed(upstream, .broken(errno: errno), carrying: nil)
            }
        case .none:
            upstream.close()
        }
    }

    /// The target sent something that is not a valid HTTP/1.1 response: 502, never forwarded.
    private func badResponse(_ upstream: UpstreamConnection) {
        exchange.upstream = nil
        worker.noteTargetRequestFinished(self, outcome: .response(status: 502))
        upstream.close(reset: true)
        if exchange.responseHeadSent {
            abort()
        } else {
            respondWithError(.badGateway, close: true)
        }
    }

    /// The response is complete: pool the target connection, then serve the next request or close.
    func responseComplete(_ upstream: UpstreamConnection) {
        let now = worker.loop.now
        worker.noteResponseCompleted(self, status: exchange.responseStatus)
        worker.noteTargetRequestFinished(self, outcome: .response(status: exchange.responseStatus))
        exchange.upstream = nil
        var reusable = exchange.responseKeepAlive && exchange.requestComplete
        if case .untilClose = exchange.responseFraming { reusable = false }
        if (upstream.input?.readableBytes ?? 0) > 0 || (upstream.output?.readableBytes ?? 0) > 0 { reusable = false }
        if reusable && upstream.target.putIdle(upstream, now: now, limit: worker.idleConnectionsPerTarget) {
            upstream.releaseEmptyBuffers()
            upstream.want(.read)
        } else {
            upstream.close()
        }
        finishExchange()
    }

    /// Ends the current exchange on the client side: consume the request, then idle (serving a
    /// pipelined request at once) or close after the output drains.
    func finishExchange() {
        if exchange.retained, let input {
            input.consume(exchange.retainedLength)
        }
        exchange.phase = .none
        let keep = exchange.clientKeepAlive && exchange.requestComplete && !clientReadClosed && !worker.isShuttingDown
        if keep {
            state = .idle
            setDeadline(.clientIdle)
            if let input, input.readableBytes > 0 {
                parseRequestHead()
            } else {
                // An idle keep-alive connection holds no buffer: the next request's bytes get
                // one from the pool when they arrive.
                releaseEmptyInput()
            }
        } else {
            state = .closing
            setDeadline(.clientWriteStall)
        }
        // Sent with the rest of this loop iteration's writes (`DeferredWrites`).
        if state != .closed { deferWrite(.client) }
    }
}
