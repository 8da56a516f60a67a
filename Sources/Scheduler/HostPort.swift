/// The transport protocol of a host port, as ECS port mappings name it.
public enum TransportProtocol: String, Sendable, Hashable, CaseIterable {
    case tcp
    case udp
}

/// A host port a task binds on its container instance (`hostPort` + `protocol` of a port
/// mapping). Two tasks can share an instance only if their host ports do not collide; TCP 80 and
/// UDP 80 do not collide.
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    public var port: UInt16
    public var transport: TransportProtocol

    public init(_ port: UInt16, _ transport: TransportProtocol = .tcp) {
        self.port = port
        self.transport = transport
    }

    public var description: String { "\(port)/\(transport.rawValue)" }
}
