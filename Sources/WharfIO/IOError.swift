#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failure to set up an event loop, a thread or a socket, naming the step that failed and,
/// where there is one, the system call and its `errno`.
///
/// Only set-up steps throw. The per-event calls (`Socket.read`, `Socket.accept`, ...) return
/// result enums instead, so the hot path never builds an error value.
public enum IOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `ev_loop_new` returned NULL (no epoll, or out of descriptors or memory).
    case createLoop
    /// `pthread_create` failed for the thread named `name`.
    case spawnThread(name: String, errno: Int32)
    /// The address text could not be parsed (e.g. missing port, bad IP literal).
    case invalidAddress(String)
    /// `socket(2)` failed.
    case createSocket(errno: Int32)
    /// `setsockopt(2)` failed; `option` names it (e.g. `"SO_REUSEPORT"`).
    case setOption(option: String, errno: Int32)
    /// `bind(2)` to `address` failed (e.g. `EADDRINUSE`).
    case bind(address: SocketAddress, errno: Int32)
    /// `listen(2)` on `address` failed.
    case listen(address: SocketAddress, errno: Int32)
    /// `getsockname(2)` failed.
    case localAddress(errno: Int32)

    /// The C library's text for an `errno`.
    static func reason(_ code: Int32) -> String {
        guard code != 0, let text = strerror(code) else { return "failed" }
        return String(cString: text) + " (errno \(code))"
    }

    public var description: String {
        switch self {
        case .createLoop:
            return "create event loop: ev_loop_new returned NULL"
        case .spawnThread(let name, let code):
            return "spawn thread \(name): pthread_create: \(Self.reason(code))"
        case .invalidAddress(let text):
            return "parse socket address \"\(text)\": expected IPv4:port or [IPv6]:port"
        case .createSocket(let code):
            return "create socket: socket: \(Self.reason(code))"
        case .setOption(let option, let code):
            return "set socket option \(option): setsockopt: \(Self.reason(code))"
        case .bind(let address, let code):
            return "bind \(address): bind: \(Self.reason(code))"
        case .listen(let address, let code):
            return "listen on \(address): listen: \(Self.reason(code))"
        case .localAddress(let code):
            return "read local address: getsockname: \(Self.reason(code))"
        }
    }
}
