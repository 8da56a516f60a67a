/// A container port published on the host (bridge mode): ECS's `networkBindings` entry.
public struct PortBinding: Sendable, Equatable, Codable, CustomStringConvertible {
    public var containerName: String
    public var containerPort: Int
    /// The port on every address of the host that reaches `containerPort`.
    public var hostPort: Int
    public var transportProtocol: PortMapping.TransportProtocol

    public init(containerName: String, containerPort: Int, hostPort: Int, transportProtocol: PortMapping.TransportProtocol) {
        self.containerName = containerName
        self.containerPort = containerPort
        self.hostPort = hostPort
        self.transportProtocol = transportProtocol
    }

    /// As Docker shows a published port: `0.0.0.0:49153->8080/tcp`.
    public var description: String {
        "0.0.0.0:\(hostPort)->\(containerPort)/\(transportProtocol.rawValue)"
    }
}
