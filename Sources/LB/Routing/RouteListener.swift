/// A listener as workers see it, with its default target group resolved to an index.
public struct RouteListener: Sendable, Equatable {
    public let configuration: ListenerConfiguration
    /// Index into `RoutingTable.groups`.
    public let defaultGroupIndex: Int

    public init(configuration: ListenerConfiguration, defaultGroupIndex: Int) {
        self.configuration = configuration
        self.defaultGroupIndex = defaultGroupIndex
    }

    public var name: String { configuration.name }
    public var port: Int { configuration.port }
}
