import WharfIO

/// Lingering close, as HTTP/1.1 servers do it (RFC 9112 §9.6): after an error response that
/// ends a connection before the client has sent all of its request (a refused body, a head
/// over the limits), closing at once would make the kernel answer the bytes still arriving
/// with a reset, and a reset can destroy the response before the client reads it (the
/// client is typically still writing its body and never gets to read). So our sending side
/// is shut down (the client sees the response, then EOF), and what the client still sends
/// is read and thrown away until it closes or `clientLinger` runs out.
extension ClientConnection {
    /// Buffer-sized reads discarded per readiness event.
    static let lingeringReadsPerWakeUp = 16

    /// Enters `lingering` once the last response has left the output buffer.
    func startLingering() {
        state = .lingering
        lingerAfterClosing = false
        worker.buffers.release(&input)
        worker.buffers.release(&output)
        if case .tls(_, let stream) = transport {
            // The close_notify goes out in one attempt, as at any close; from here on the
            // socket's bytes are read raw and discarded without decrypting them.
            _ = stream.shutdown()
        }
        guard Socket.shutdownWrite(transport.fd) == 0 else {
            close(graceful: false)
            return
        }
        setDeadline(.clientLinger)
        want(.read)
        discardLingeringInput()
    }

    /// Reads and drops what the socket holds, a bounded amount per wake-up so that a client
    /// sending fast cannot hold the loop (the level-triggered watcher calls again); closes on
    /// EOF or an error.
    func discardLingeringInput() {
        let scratch = worker.buffers.buffer(in: &input)
        defer { if state != .closed { worker.buffers.release(&input) } }
        for _ in 0..<Self.lingeringReadsPerWakeUp {
            switch Socket.read(transport.fd, into: scratch.writableBytesView) {
            case .bytes:
                continue
            case .wouldBlock:
                return
            case .endOfFile, .failed:
                close(graceful: false)
                return
            }
        }
    }
}
