#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket listening on 127.0.0.1 at a port the kernel picked. Binding port 0 and
/// reading the port back (`getsockname`) leaves no window in which another process could
/// take the port, unlike picking a free port and binding it later.
public struct LoopbackListener: Sendable {
    /// Why the listener could not be opened: the failing call and its errno.
    public struct Failure: Error, CustomStringConvertible {
        public let call: String
        public let errno: Int32
        public var description: String { "listen on 127.0.0.1:0: \(call) failed with errno \(errno)" }
    }

    /// The listening socket (close-on-exec); the caller owns it and closes it.
    public let fd: Int32
    /// The port the kernel bound it to.
    public let port: Int

    /// Opens a socket on 127.0.0.1:0 and listens with `backlog` pending connections.
    public init(backlog: Int32) throws(Failure) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let failedCall = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic -> String? in
                if bind(fd, generic, length) != 0 { return "bind" }
                if getsockname(fd, generic, &length) != 0 { return "getsockname" }
                if listen(fd, backlog) != 0 { return "listen" }
                return nil
            }
        }
        if let failedCall {
            let code = errno
            close(fd)
            throw Failure(call: failedCall, errno: code)
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }
}
