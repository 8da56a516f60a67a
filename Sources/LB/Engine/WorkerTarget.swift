import WharfIO

/// A worker's view of one registered target: where to connect and its idle keep-alive
/// connections.
///
/// Rebuilt when a routing snapshot arrives, carrying the pooled connections over by target id,
/// so the request path reaches a target's pool by index with no hashing.
final class WorkerTarget {
    let id: TargetID
    /// The target group it is registered in (a registration belongs to one group).
    let groupName: String
    /// Where to connect. Only nil if the endpoint could not be expressed as a socket address,
    /// which the configuration's validation rules out; such a target is never picked.
    let optionalAddress: SocketAddress?
    var address: SocketAddress { optionalAddress ?? WorkerTarget.nowhere }
    var unreachable: Bool { optionalAddress == nil }
    private static let nowhere: SocketAddress = {
        guard let address = try? SocketAddress(ip: "0.0.0.0", port: 0) else { preconditionFailure("0.0.0.0:0 is a valid address") }
        return address
    }()
    /// The target is draining (or gone): it gets no new requests, and its connections are not
    /// pooled again.
    var retired = false
    /// Idle connections, most recently used last (LIFO keeps a few connections hot).
    private(set) var idle: [UpstreamConnection] = []

    init(id: TargetID, groupName: String, address: SocketAddress?) {
        self.id = id
        self.groupName = groupName
        self.optionalAddress = address
        idle.reserveCapacity(8)
    }

    /// A pooled connection, if there is one.
    @inline(__always)
    func takeIdle() -> UpstreamConnection? {
        idle.popLast()
    }

    /// Pools a connection after a complete exchange; false when the pool is full or the target
    /// retired (the caller closes it).
    @inline(__always)
    func putIdle(_ connection: UpstreamConnection, now: Double, limit: Int) -> Bool {
        guard !retired, idle.count < limit else { return false }
        connection.state = .pooled
        connection.owner = nil
        connection.idleSince = now
        connection.reused = true
        idle.append(connection)
        return true
    }

    /// Forgets a pooled connection (it is being closed).
    func removeIdle(_ connection: UpstreamConnection) {
        if let index = idle.firstIndex(where: { $0 === connection }) {
            idle.remove(at: index)
        }
    }

    /// Closes pooled connections idle for `timeout` seconds or more (all of them once retired).
    func sweep(now: Double, timeout: Double) {
        guard !idle.isEmpty else { return }
        var kept: [UpstreamConnection] = []
        let expired = idle.filter { connection in
            if !retired && now - connection.idleSince < timeout {
                kept.append(connection)
                return false
            }
            return true
        }
        idle = kept
        for connection in expired { connection.close() }
    }

    /// Closes every pooled connection.
    func closeIdle() {
        let all = idle
        idle = []
        for connection in all { connection.close() }
    }
}
