import GRDB

/// A container instance row. Deregistered instances stay as `INACTIVE` rows (still describable);
/// registering again with the instance's ARN revives the same row.
public struct ContainerInstanceRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "containerInstance"

    /// The 32-hex-digit ID at the end of the ARN.
    public var id: String
    public var arn: String
    public var clusterName: String
    public var ec2InstanceId: String?
    public var status: ECSContainerInstanceStatus
    public var statusReason: String?
    public var agentConnected: Bool
    /// ECS's change counter: incremented on every change a CloudWatch event would report.
    public var version: Int
    public var versionInfo: ECSVersionInfo
    /// What the agent registered: CPU, MEMORY, PORTS, PORTS_UDP and any custom resources.
    public var registeredResources: [ECSResource]
    public var platformDevices: [ECSPlatformDevice]
    public var capacityProviderName: String?
    public var agentUpdateStatus: String?
    public var instanceIdentityDocument: String?
    /// Seconds since the epoch.
    public var registeredAt: Double
    public var deregisteredAt: Double?

    public init(
        id: String, arn: String, clusterName: String, ec2InstanceId: String?,
        status: ECSContainerInstanceStatus = .active, statusReason: String? = nil, agentConnected: Bool = true,
        version: Int = 1, versionInfo: ECSVersionInfo = ECSVersionInfo(), registeredResources: [ECSResource],
        platformDevices: [ECSPlatformDevice] = [], capacityProviderName: String? = nil,
        agentUpdateStatus: String? = nil, instanceIdentityDocument: String? = nil,
        registeredAt: Double, deregisteredAt: Double? = nil
    ) {
        self.id = id
        self.arn = arn
        self.clusterName = clusterName
        self.ec2InstanceId = ec2InstanceId
        self.status = status
        self.statusReason = statusReason
        self.agentConnected = agentConnected
        self.version = version
        self.versionInfo = versionInfo
        self.registeredResources = registeredResources
        self.platformDevices = platformDevices
        self.capacityProviderName = capacityProviderName
        self.agentUpdateStatus = agentUpdateStatus
        self.instanceIdentityDocument = instanceIdentityDocument
        self.registeredAt = registeredAt
        self.deregisteredAt = deregisteredAt
    }

    /// The registered integer resource `name` (`CPU`, `MEMORY`), 0 if the agent did not report it.
    public func registeredInteger(_ name: String) -> Int {
        registeredResources.first { $0.name == name }?.integerValue ?? 0
    }

    /// The registered string set `name` (`PORTS`, `PORTS_UDP`), empty if not reported.
    public func registeredStringSet(_ name: String) -> [String] {
        registeredResources.first { $0.name == name }?.stringSetValue ?? []
    }

    /// The instance with ID `id` in `cluster`, whatever its status.
    public static func find(_ db: Database, cluster: String, id: String) throws -> ContainerInstanceRecord? {
        try filter(Column("clusterName") == cluster && Column("id") == id).fetchOne(db)
    }
}
