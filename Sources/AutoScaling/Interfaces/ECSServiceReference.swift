/// An ECS service as Application Auto Scaling names it: the resource id `service/CLUSTER/SERVICE`.
public struct ECSServiceReference: Sendable, Hashable, CustomStringConvertible {
    /// The cluster's name.
    public let cluster: String
    /// The service's name.
    public let service: String

    public init(cluster: String, service: String) {
        self.cluster = cluster
        self.service = service
    }

    /// Parses `service/CLUSTER/SERVICE`; nil for anything else (both names non-empty, no
    /// further slashes).
    public init?(resourceID: String) {
        let parts = resourceID.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "service", !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        self.init(cluster: String(parts[1]), service: String(parts[2]))
    }

    /// `service/CLUSTER/SERVICE`.
    public var resourceID: String { "service/\(cluster)/\(service)" }

    public var description: String { resourceID }
}
