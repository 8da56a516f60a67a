#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports for servers that must be told their port before they start.
public enum FreePort {
    /// Why no port could be picked: the failing call and its errno.
    public struct Failure: Error, CustomStringConvertible {
        public let call: String
        public let errno: Int32
        public var description: String { "pick a free loopback port: \(call) failed with errno \(errno)" }
    }

    /// A TCP port nothing listens on at the time of the call: bound once to 127.0.0.1:0 and
    /// freed again (another process may take it before the caller binds it; tests accept that).
    public static func pick() throws(Failure) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", errno: errno) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else { throw Failure(call: "bind/getsockname", errno: errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
