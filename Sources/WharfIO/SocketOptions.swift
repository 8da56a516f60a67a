#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Socket {
    /// `TCP_NODELAY`: send small writes at once instead of waiting for earlier data's ACK.
    public static func setNoDelay(_ fd: Int32, _ enabled: Bool = true) throws(IOError) {
        try setOption(fd, level: Int32(IPPROTO_TCP), option: TCP_NODELAY, value: enabled ? 1 : 0, name: "TCP_NODELAY")
    }

    /// `SO_LINGER` on with a zero timeout: the next `close` drops unsent data and sends a RST
    /// instead of a FIN (to reset a connection, or to avoid TIME_WAIT on a connection known
    /// to be dead).
    public static func setLinger0(_ fd: Int32) throws(IOError) {
        var value = linger(l_onoff: 1, l_linger: 0)
        guard setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size)) == 0 else {
            throw .setOption(option: "SO_LINGER", errno: errno)
        }
    }

    /// Sends a FIN after the data already written (`shutdown(SHUT_WR)`); reads go on.
    /// Returns 0, or the `errno` (`ENOTCONN` when the peer already reset: nothing to do).
    @discardableResult
    public static func shutdownWrite(_ fd: Int32) -> Int32 {
        Glibc.shutdown(fd, Int32(SHUT_WR)) == 0 ? 0 : errno
    }

    /// Closes the descriptor. Not retried on `EINTR`: on Linux the descriptor is released
    /// either way, and a retry could close a descriptor another thread has just been given.
    public static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// The address the socket is bound to (`getsockname`), e.g. the port the kernel chose for
    /// a listener bound to port 0.
    public static func localAddress(_ fd: Int32) throws(IOError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw .localAddress(errno: errno) }
        let address = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress($0, length: length) }
        }
        guard let address else { throw .localAddress(errno: EAFNOSUPPORT) }
        return address
    }
}
