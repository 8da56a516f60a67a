/// A port the load balancer accepts client connections on, and where its requests go.
public struct ListenerConfiguration: Sendable, Equatable {
    /// The protocol clients speak to a listener.
    public enum ListenerProtocol: String, Sendable, Equatable, CaseIterable {
        case http = "HTTP"
        case https = "HTTPS"
    }

    /// Unique among listeners; defaults to `<protocol>-<port>`, e.g. `http-8003`.
    public var name: String
    /// The local address to bind, an IPv4 or IPv6 literal; `0.0.0.0` (all IPv4) by default.
    public var bindAddress: String
    /// The parsed form of `bindAddress`.
    public var bindEndpoint: TargetEndpoint
    public var port: Int
    public var `protocol`: ListenerProtocol
    /// The server certificates of an HTTPS listener (the first is the default; others are
    /// chosen by SNI). Empty for HTTP.
    public var certificates: [CertificateConfiguration]
    /// Name of the target group requests go to (ALB's default forward action).
    public var defaultTargetGroup: String
    /// Client connections open at once on this listener (from `limits.maxConnectionsPerListener`
    /// unless set).
    public var maxConnections: Int

    public init(
        name: String, bindAddress: String = "0.0.0.0", port: Int, protocol: ListenerProtocol = .http,
        certificates: [CertificateConfiguration] = [], defaultTargetGroup: String, maxConnections: Int = 10_000
    ) throws(TargetEndpoint.ParseError) {
        self.name = name
        self.bindAddress = bindAddress
        self.bindEndpoint = try TargetEndpoint(host: bindAddress, port: port)
        self.port = port
        self.protocol = `protocol`
        self.certificates = certificates
        self.defaultTargetGroup = defaultTargetGroup
        self.maxConnections = maxConnections
    }
}
