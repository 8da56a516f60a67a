import WharfIO

/// The byte stream under one HTTP connection: a plain TCP socket or a TLS session over one.
///
/// One type for both so the connection state machines are written once; the plain case is a
/// direct `read(2)`/`write(2)` with no indirection beyond the switch.
enum Transport {
    case plain(fd: Int32)
    case tls(fd: Int32, stream: TLSStream)

    /// What a read or write did.
    enum Outcome {
        /// This many bytes moved (always more than zero).
        case bytes(Int)
        /// Nothing to do until the socket is readable.
        case wantRead
        /// Nothing to do until the socket is writable.
        case wantWrite
        /// The peer closed its side (EOF, or a TLS close_notify).
        case closed
        /// The connection failed (reset, TLS alert, ...). `errno` is 0 for TLS failures.
        case failed(errno: Int32)
    }

    var fd: Int32 {
        switch self {
        case .plain(let fd), .tls(let fd, _): return fd
        }
    }

    /// Whether bytes already read from the socket wait in the TLS layer, so a read must come
    /// before waiting for readiness (always false for plain TCP).
    @inline(__always)
    var hasBufferedBytes: Bool {
        if case .tls(_, let stream) = self { return stream.hasBufferedBytes }
        return false
    }

    var isTLS: Bool {
        if case .tls = self { return true }
        return false
    }

    @inline(__always)
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Outcome {
        switch self {
        case .plain(let fd):
            switch Socket.read(fd, into: buffer) {
            case .bytes(let n): return .bytes(n)
            case .endOfFile: return .closed
            case .wouldBlock: return .wantRead
            case .failed(let e): return .failed(errno: e)
            }
        case .tls(_, let stream):
            return Transport.outcome(stream.read(into: buffer))
        }
    }

    @inline(__always)
    func write(from buffer: UnsafeRawBufferPointer) -> Outcome {
        switch self {
        case .plain(let fd):
            switch Socket.write(fd, from: buffer) {
            case .bytes(let n): return .bytes(n)
            case .wouldBlock: return .wantWrite
            case .failed(let e): return .failed(errno: e)
            }
        case .tls(_, let stream):
            return Transport.outcome(stream.write(from: buffer))
        }
    }

    /// Closes the socket (after a TLS close_notify, best effort, when `graceful`).
    func close(graceful: Bool) {
        switch self {
        case .plain(let fd):
            Socket.close(fd)
        case .tls(let fd, let stream):
            // One attempt: a close_notify that would block is not worth holding the socket for.
            if graceful { _ = stream.shutdown() }
            Socket.close(fd)
        }
    }

    private static func outcome(_ result: TLSResult) -> Outcome {
        switch result {
        case .done: return .bytes(0)
        case .bytes(let n): return .bytes(n)
        case .wantRead: return .wantRead
        case .wantWrite: return .wantWrite
        case .closed: return .closed
        case .failed: return .failed(errno: 0)
        }
    }
}
