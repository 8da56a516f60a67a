/// The outcome of one non-blocking read.
public enum IOResult: Sendable, Equatable {
    /// This many bytes were read (always more than zero for a non-empty buffer).
    case bytes(Int)
    /// The peer closed its side (`recv` returned 0).
    case endOfFile
    /// Nothing to read (`EAGAIN`): wait for readiness.
    case wouldBlock
    /// The call failed with this `errno` (`ECONNRESET`, `ETIMEDOUT`, ...).
    case failed(Int32)
}

/// The outcome of one non-blocking write (a write has no end of file: a closed peer is `EPIPE`).
public enum WriteResult: Sendable, Equatable {
    /// This many bytes were written.
    case bytes(Int)
    /// No room to write (`EAGAIN`): wait for readiness.
    case wouldBlock
    /// The call failed with this `errno` (`EPIPE`, `ECONNRESET`, ...).
    case failed(Int32)
}

/// The outcome of one `accept4` on a non-blocking listener.
public enum AcceptResult: Sendable, Equatable {
    /// A new non-blocking, close-on-exec connection and its peer's address.
    case accepted(Int32, peer: SocketAddress)
    /// No connection is pending.
    case wouldBlock
    /// `accept4` failed with this `errno`. `EMFILE`/`ENFILE` (out of descriptors) need a pause
    /// of the listener's watcher, or the level-triggered listener fires again at once.
    case failed(Int32)
}

/// The outcome of starting a non-blocking connect.
public enum ConnectResult: Sendable, Equatable {
    /// Connected at once (Linux reports even loopback connects as in progress; other systems may not).
    case connected(Int32)
    /// Connecting: watch the descriptor for `.write`, then read `Socket.connectError(fd)`.
    case inProgress(Int32)
    /// The connect or the socket failed with this `errno` (e.g. `ECONNREFUSED`); no descriptor
    /// is left open.
    case failed(Int32)
}
