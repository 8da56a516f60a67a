/// A host as its agent describes it: what RegisterContainerInstance records.
///
/// `cpuUnits` is cores × 1024 and `memoryMiB` the memory tasks may reserve, as the ECS agent
/// registers them; `attributes` carries the `ecs.*` facts and the capabilities
/// (`ecs.capability.*`, `com.amazonaws.ecs.capability.*`) that task definitions' `requiresAttributes` name.
public struct AgentHostDescription: Sendable, Equatable, Codable {
    /// A stable identifier of the machine in EC2's form (`i-` + 17 hex digits); re-registration
    /// after a restart finds the same container instance by it.
    public var instanceID: String
    public var cpuUnits: Int
    public var memoryMiB: Int
    /// Host TCP ports not available to tasks (ECS's `PORTS` resource).
    public var reservedTCPPorts: [Int]
    /// Host UDP ports not available to tasks (`PORTS_UDP`).
    public var reservedUDPPorts: [Int]
    public var attributes: [AgentAttribute]
    public var agentVersion: String
    public var agentHash: String
    /// What `versionInfo.dockerVersion` reports.
    public var runtimeVersion: String
    public var availabilityZone: String
    public var instanceType: String
    public var region: String
    /// `x86_64` or `arm64`.
    public var cpuArchitecture: String

    public init(
        instanceID: String, cpuUnits: Int, memoryMiB: Int, reservedTCPPorts: [Int], reservedUDPPorts: [Int],
        attributes: [AgentAttribute], agentVersion: String, agentHash: String, runtimeVersion: String,
        availabilityZone: String, instanceType: String, region: String, cpuArchitecture: String
    ) {
        self.instanceID = instanceID
        self.cpuUnits = cpuUnits
        self.memoryMiB = memoryMiB
        self.reservedTCPPorts = reservedTCPPorts
        self.reservedUDPPorts = reservedUDPPorts
        self.attributes = attributes
        self.agentVersion = agentVersion
        self.agentHash = agentHash
        self.runtimeVersion = runtimeVersion
        self.availabilityZone = availabilityZone
        self.instanceType = instanceType
        self.region = region
        self.cpuArchitecture = cpuArchitecture
    }

    /// Whether the host advertises the attribute `name`.
    public func hasAttribute(_ name: String) -> Bool {
        attributes.contains { $0.name == name }
    }
}

/// One attribute of a host; capabilities have no value.
public struct AgentAttribute: Sendable, Equatable, Hashable, Codable {
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }
}
