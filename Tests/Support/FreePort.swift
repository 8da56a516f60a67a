#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports for servers that must be told their port before they start.
public enum FreePort {
    /// Why no port could be picked: the failing call and its errno.
    public typealias Failure = LoopbackListener.Failure

    /// A TCP port nothing listens on at the time of the call: bound once to 127.0.0.1:0 and
    /// freed again (another process may take it before the caller binds it; tests accept that).
    /// A test that binds the port itself uses `LoopbackListener` instead, which has no such race.
    public static func pick() throws(Failure) -> Int {
        let listener = try LoopbackListener(backlog: 1)
        close(listener.fd)
        return listener.port
    }
}
