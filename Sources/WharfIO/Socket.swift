import CLibev

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Non-blocking, close-on-exec TCP sockets as plain descriptors.
///
/// Set-up calls (`listen`, options) throw `IOError`; per-event calls (`accept`, `read`,
/// `write`) return result enums and never allocate. `EINTR` is retried inside.
///
/// SIGPIPE: never raised. Every write goes through `send`/`sendmsg` with `MSG_NOSIGNAL`
/// (TLS too: its BIO writes with `send(MSG_NOSIGNAL)`), so WharfIO leaves the process's
/// signal dispositions alone and a write to a closed peer returns `.failed(EPIPE)`.
public enum Socket {
    /// The listen backlog used when none is given; the kernel caps it at `net.core.somaxconn`.
    public static let defaultBacklog: Int32 = 4096

    /// `SOCK_NONBLOCK | SOCK_CLOEXEC`, for `socket` and `accept4`.
    static let nonBlockingCloseOnExec = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)

    /// A non-blocking TCP socket bound to `address` and listening.
    ///
    /// Sets `SO_REUSEADDR` (restart while old connections sit in TIME_WAIT) and, when
    /// `reusePort` is true, `SO_REUSEPORT`, so that each worker can own a listener on the same
    /// port and the kernel spreads connections across them. IPv6 listeners are IPv6-only
    /// (`IPV6_V6ONLY`): listen on `0.0.0.0` and `[::]` separately for both families.
    public static func listen(_ address: SocketAddress, reusePort: Bool, backlog: Int32 = defaultBacklog) throws(IOError) -> Int32 {
        let family = address.family == .ipv4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | nonBlockingCloseOnExec, 0)
        guard fd >= 0 else { throw .createSocket(errno: errno) }
        do throws(IOError) {
            try setFlag(fd, level: SOL_SOCKET, option: SO_REUSEADDR, name: "SO_REUSEADDR")
            if reusePort {
                try setFlag(fd, level: SOL_SOCKET, option: SO_REUSEPORT, name: "SO_REUSEPORT")
            }
            if address.family == .ipv6 {
                try setFlag(fd, level: Int32(IPPROTO_IPV6), option: IPV6_V6ONLY, name: "IPV6_V6ONLY")
            }
            let bound = address.withSockAddr { Glibc.bind(fd, $0, $1) }
            guard bound == 0 else { throw .bind(address: address, errno: errno) }
            guard Glibc.listen(fd, backlog) == 0 else { throw .listen(address: address, errno: errno) }
        } catch {
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// Takes one pending connection off `listener` (`accept4` with `SOCK_NONBLOCK|SOCK_CLOEXEC`).
    ///
    /// `ECONNABORTED` (the client reset before we accepted) is skipped, not reported. Call it
    /// until `.wouldBlock` (or a per-wake-up budget) on each readiness event. On
    /// `.failed(EMFILE)` or `.failed(ENFILE)` the connection stays queued and the listener
    /// stays readable: stop the listener's watcher and restart it from a timer, or the
    /// level-triggered loop wakes again at once.
    public static func accept(_ listener: Int32) -> AcceptResult {
        var storage = sockaddr_storage()
        while true {
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { wharf_accept4(listener, $0, &length, nonBlockingCloseOnExec) }
            }
            if fd >= 0 {
                let peer = withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress($0, length: length) }
                }
                return .accepted(fd, peer: peer ?? .unspecifiedIPv4)
            }
            let code = errno
            switch code {
            case EINTR, ECONNABORTED: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(code)
            }
        }
    }

    /// Starts a non-blocking TCP connect to `address`.
    public static func connect(to address: SocketAddress) -> ConnectResult {
        let family = address.family == .ipv4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | nonBlockingCloseOnExec, 0)
        guard fd >= 0 else { return .failed(errno) }
        let result = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if result == 0 { return .connected(fd) }
        let code = errno
        // EINTR on a non-blocking connect: the connect goes on in the background, like EINPROGRESS.
        if code == EINPROGRESS || code == EINTR { return .inProgress(fd) }
        Glibc.close(fd)
        return .failed(code)
    }

    /// The result of a finished non-blocking connect (`SO_ERROR`): 0 when connected, else the
    /// `errno` it failed with (e.g. `ECONNREFUSED`). Reading it clears it.
    public static func connectError(_ fd: Int32) -> Int32 {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) == 0 else { return errno }
        return code
    }

    /// Sets an integer socket option to 1.
    static func setFlag(_ fd: Int32, level: Int32, option: Int32, name: String) throws(IOError) {
        try setOption(fd, level: level, option: option, value: 1, name: name)
    }

    /// Sets an integer socket option.
    static func setOption(_ fd: Int32, level: Int32, option: Int32, value: Int32, name: String) throws(IOError) {
        var value = value
        guard setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .setOption(option: name, errno: errno)
        }
    }
}
