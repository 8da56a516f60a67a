/// ECS `Cluster`, member for member as the ECS API Reference names it. Members that are nil are
/// absent from the JSON, as ECS leaves them out.
public struct ECSCluster: Codable, Sendable, Equatable {
    public var clusterArn: String?
    public var clusterName: String?
    public var configuration: ECSClusterConfiguration?
    /// `ACTIVE`, `PROVISIONING`, `DEPROVISIONING`, `FAILED` or `INACTIVE`.
    public var status: String?
    public var registeredContainerInstancesCount: Int?
    public var runningTasksCount: Int?
    public var pendingTasksCount: Int?
    public var activeServicesCount: Int?
    public var statistics: [ECSKeyValuePair]?
    public var tags: [ECSTag]?
    public var settings: [ECSClusterSetting]?
    public var capacityProviders: [String]?
    public var defaultCapacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    public var attachments: [ECSAttachment]?
    public var attachmentsStatus: String?
    public var serviceConnectDefaults: ECSClusterServiceConnectDefaults?

    public init() {}
}
