import HTTPCore
import WharfIO

/// After `101 Switching Protocols` (WebSocket): bytes relayed both ways, unparsed, until
/// either side closes. The client's idle timeout applies to the tunnel as a whole.
extension ClientConnection {
    func beginTunnel(_ upstream: UpstreamConnection) {
        state = .tunnel
        exchange.phase = .tunnel
        exchange.clientKeepAlive = false
        // Bytes the target sent after its 101 head belong to the new protocol.
        if let input = upstream.input, input.readableBytes > 0 {
            relayTunnelFromTarget(upstream)
        }
        // And so do bytes the client sent after its request head.
        if exchange.retained, let input = self.input {
            input.consume(exchange.retainedLength)
            exchange.retained = false
        }
        setDeadline(.clientIdle)
        forwardTunnelToTarget()
        if state != .closed { flushOutput() }
    }

    /// Client bytes to the target.
    func forwardTunnelToTarget() {
        guard let upstream = exchange.upstream, let input, input.readableBytes > 0 else { return }
        let out = upstream.outputBuffer()
        if out.writableBytes == 0 { out.compact() }
        let count = min(input.readableBytes, out.writableBytes)
        guard count > 0 else { return }
        _ = out.append(UnsafeRawBufferPointer(rebasing: input.readableBytesView[..<count]))
        input.consume(count)
        setDeadline(.clientIdle)
        flushTunnelToTarget(upstream)
    }

    func flushTunnelToTarget(_ upstream: UpstreamConnection) {
        switch flushCountingBytes(upstream) {
        case .drained:
            upstream.want(.read)
            // Room again at the target: take what the client has waiting.
            if let input, input.readableBytes > 0 { forwardTunnelToTarget() }
            updateInterest()
        case .pending:
            upstream.want([.read, .write])
        case .failed:
            tunnelTargetClosed()
        }
    }

    /// Target bytes to the client.
    func relayTunnelFromTarget(_ upstream: UpstreamConnection) {
        while state == .tunnel {
            let out = outputBuffer()
            if out.writableBytes == 0 { out.compact() }
            if out.writableBytes == 0 {
                upstream.pauseReading()
                break
            }
            let buffer = upstream.inputBuffer()
            if buffer.readableBytes == 0 {
                switch Socket.read(upstream.fd, into: buffer.writableBytesView) {
                case .bytes(let n):
                    buffer.commitWrite(n)
                    worker.noteTargetBytesIn(self, n)
                case .wouldBlock:
                    upstream.releaseEmptyBuffers()
                    flushOutput()
                    return
                case .endOfFile, .failed:
                    flushOutput()
                    tunnelTargetClosed()
                    return
                }
            }
            let count = min(buffer.readableBytes, out.writableBytes)
            _ = out.append(UnsafeRawBufferPointer(rebasing: buffer.readableBytesView[..<count]))
            buffer.consume(count)
            setDeadline(.clientIdle)
        }
        if state != .closed { flushOutput() }
    }

    func tunnelClientClosed() {
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            upstream.close()
        }
        close(graceful: true)
    }

    func tunnelTargetClosed() {
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            upstream.close()
        }
        exchange.phase = .none
        state = .closing
        flushOutput()
    }
}
