import CLibev

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One spare descriptor, kept so that a worker out of descriptors can still shed connections.
///
/// When `accept` fails with `EMFILE` or `ENFILE`, the pending connection stays in the listen
/// queue and the level-triggered listener is reported readable again on every iteration: the
/// loop spins. `shedPendingConnection(listener:)` closes the spare (freeing one slot), accepts
/// the oldest pending connection, resets it (RST, so the client learns at once), and takes the
/// spare back. Each call removes one connection from the queue, so the loop makes progress.
///
/// When it returns false (another thread took the freed slot first), stop the listener's
/// watcher and start it again from a timer (a pause of, say, 100 ms).
///
/// One reserve per worker thread; not thread-safe.
public final class DescriptorReserve {
    private var spare: Int32

    /// Opens the spare descriptor (`/dev/null`, read-only).
    public init() throws(IOError) {
        spare = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard spare >= 0 else { throw .reserveDescriptor(errno: errno) }
    }

    deinit {
        if spare >= 0 { Glibc.close(spare) }
    }

    /// Whether the spare descriptor is held (false after a failed re-open).
    public var isHeld: Bool { spare >= 0 }

    /// Accepts and resets one pending connection of `listener` using the spare slot. Returns
    /// whether a connection was shed.
    @discardableResult
    public func shedPendingConnection(listener: Int32) -> Bool {
        if spare >= 0 {
            Glibc.close(spare)
            spare = -1
        }
        var shed = false
        let fd = wharf_accept4(listener, nil, nil, Socket.nonBlockingCloseOnExec)
        if fd >= 0 {
            try? Socket.setLinger0(fd)
            Glibc.close(fd)
            shed = true
        }
        spare = open("/dev/null", O_RDONLY | O_CLOEXEC)
        return shed
    }
}
