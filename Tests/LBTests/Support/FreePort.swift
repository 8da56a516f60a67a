import WharfIO

/// Loopback ports for the load balancer's listeners (which must be named in the configuration
/// before it starts; backends bind port 0 and report theirs).
enum FreePort {
    /// A port nothing listens on at the time of the call: bound once to 127.0.0.1:0, then freed.
    static func pick() throws -> Int {
        let fd = try Socket.listen(try SocketAddress(ip: "127.0.0.1", port: 0), reusePort: false, backlog: 1)
        defer { Socket.close(fd) }
        return Int(try Socket.localAddress(fd).port)
    }
}
