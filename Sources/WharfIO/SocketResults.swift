/// The outcome of one non-blocking read or write.
public enum IOResult: Sendable, Equatable {
    /// This many bytes moved (always more than zero for a non-empty buffer).
    case bytes(Int)
    /// The peer closed its side (`read` returned 0). Never returned by writes.
    case endOfFile
    /// Nothing to read, or no room to write (`EAGAIN`): wait for readiness.
    case wouldBlock
    /// The call failed with this `errno` (`ECONNRESET`, `EPIPE`, `ETIMEDOUT`, ...).
    case failed(Int32)
}

/// The outcome of one `accept4` on a non-blocking listener.
public enum AcceptResult: Sendable, Equatable {
    /// A new non-blocking, close-on-exec connection and its peer's address.
    case accepted(Int32, peer: SocketAddress)
    /// No connection is pending.
    case wouldBlock
    /// `accept4` failed with this `errno`. `EMFILE`/`ENFILE` (out of descriptors) need
    /// `DescriptorReserve` or a pause, or the level-triggered listener fires again at once.
    case failed(Int32)
}

/// The outcome of starting a non-blocking connect.
public enum ConnectResult: Sendable, Equatable {
    /// Connected at once (common on loopback).
    case connected(Int32)
    /// Connecting: watch the descriptor for `.write`, then read `Socket.connectError(fd)`.
    case inProgress(Int32)
    /// The connect or the socket failed with this `errno` (e.g. `ECONNREFUSED`); no descriptor
    /// is left open.
    case failed(Int32)
}
