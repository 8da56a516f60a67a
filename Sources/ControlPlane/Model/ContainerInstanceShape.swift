/// ECS `ContainerInstance`, member for member as the ECS API Reference names it.
public struct ECSContainerInstance: Codable, Sendable, Equatable {
    public var containerInstanceArn: String?
    public var ec2InstanceId: String?
    public var capacityProviderName: String?
    public var version: Int?
    public var versionInfo: ECSVersionInfo?
    public var remainingResources: [ECSResource]?
    public var registeredResources: [ECSResource]?
    public var status: String?
    public var statusReason: String?
    public var agentConnected: Bool?
    public var runningTasksCount: Int?
    public var pendingTasksCount: Int?
    public var agentUpdateStatus: String?
    public var attributes: [ECSAttribute]?
    /// Seconds since the epoch.
    public var registeredAt: Double?
    public var attachments: [ECSAttachment]?
    public var tags: [ECSTag]?
    public var healthStatus: HealthStatus?

    public init() {}

    /// ECS `ContainerInstanceHealthStatus`.
    public struct HealthStatus: Codable, Sendable, Equatable {
        /// `OK`, `IMPAIRED`, `INSUFFICIENT_DATA`, `INITIALIZING`.
        public var overallStatus: String?
        public var details: [Detail]?

        public init(overallStatus: String?, details: [Detail]?) {
            self.overallStatus = overallStatus
            self.details = details
        }

        /// ECS `InstanceHealthCheckResult`.
        public struct Detail: Codable, Sendable, Equatable {
            public var type: String?
            public var status: String?
            public var lastUpdated: Double?
            public var lastStatusChange: Double?

            public init(type: String?, status: String?, lastUpdated: Double?, lastStatusChange: Double?) {
                self.type = type
                self.status = status
                self.lastUpdated = lastUpdated
                self.lastStatusChange = lastStatusChange
            }
        }
    }
}

/// ECS `Resource`: `CPU` and `MEMORY` are `INTEGER`, `PORTS` and `PORTS_UDP` are `STRINGSET`.
///
/// ECS reports every numeric member of a resource, the unused ones as 0
/// (`"doubleValue": 0.0, "longValue": 0, "integerValue": 2048`), and Wharf does the same.
public struct ECSResource: Codable, Sendable, Equatable {
    public var name: String?
    /// `INTEGER`, `DOUBLE`, `LONG` or `STRINGSET`.
    public var type: String?
    public var doubleValue: Double?
    public var longValue: Int?
    public var integerValue: Int?
    public var stringSetValue: [String]?

    public init(name: String?, type: String?, doubleValue: Double? = nil, longValue: Int? = nil,
                integerValue: Int? = nil, stringSetValue: [String]? = nil) {
        self.name = name
        self.type = type
        self.doubleValue = doubleValue
        self.longValue = longValue
        self.integerValue = integerValue
        self.stringSetValue = stringSetValue
    }

    /// Resource names ECS's scheduler understands.
    public static let cpuName = "CPU"
    public static let memoryName = "MEMORY"
    public static let portsName = "PORTS"
    public static let udpPortsName = "PORTS_UDP"
    /// Resource type names.
    public static let types: [String] = ["INTEGER", "DOUBLE", "LONG", "STRINGSET"]

    /// An `INTEGER` resource as ECS reports it.
    public static func integer(_ name: String, _ value: Int) -> ECSResource {
        ECSResource(name: name, type: "INTEGER", doubleValue: 0, longValue: 0, integerValue: value)
    }

    /// A `STRINGSET` resource as ECS reports it.
    public static func stringSet(_ name: String, _ values: [String]) -> ECSResource {
        ECSResource(name: name, type: "STRINGSET", doubleValue: 0, longValue: 0, integerValue: 0, stringSetValue: values)
    }

    /// The resource with every numeric member present (0 where unused), as ECS reports it.
    public var normalized: ECSResource {
        var copy = self
        copy.doubleValue = doubleValue ?? 0
        copy.longValue = longValue ?? 0
        copy.integerValue = integerValue ?? 0
        if type == "STRINGSET" { copy.stringSetValue = stringSetValue ?? [] }
        return copy
    }
}

/// ECS `VersionInfo` of the agent on a container instance.
public struct ECSVersionInfo: Codable, Sendable, Hashable {
    public var agentVersion: String?
    public var agentHash: String?
    public var dockerVersion: String?

    public init(agentVersion: String? = nil, agentHash: String? = nil, dockerVersion: String? = nil) {
        self.agentVersion = agentVersion
        self.agentHash = agentHash
        self.dockerVersion = dockerVersion
    }
}

/// ECS `PlatformDevice` (a GPU or Neuron device on a container instance).
public struct ECSPlatformDevice: Codable, Sendable, Hashable {
    public var id: String?
    /// `GPU` or `NEURON_DEVICE`.
    public var type: String?

    public init(id: String?, type: String?) {
        self.id = id
        self.type = type
    }

    /// `PlatformDeviceType` values.
    public static let types: [String] = ["GPU", "NEURON_DEVICE"]
}
