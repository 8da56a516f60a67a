/// What the scheduler knows about one container instance: what is left of its resources, what
/// runs on it, and the attributes constraints and strategies look at.
///
/// The resources are the *remaining* ones (registered minus what running tasks reserve), as ECS
/// reports them in `remainingResources`. Placing a task subtracts from them.
public struct ContainerInstanceCandidate: Sendable, Hashable {
    /// The status of a container instance (`ContainerInstance.status`). Only `ACTIVE` instances
    /// take new tasks.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case registering = "REGISTERING"
        case registrationFailed = "REGISTRATION_FAILED"
        case active = "ACTIVE"
        case draining = "DRAINING"
        case deregistering = "DEREGISTERING"
        case inactive = "INACTIVE"
    }

    /// The container instance ARN: what `failures[].arn` names.
    public var arn: String
    /// The container instance id (the last component of the ARN unless given).
    public var id: String
    /// The EC2 instance id (`ec2InstanceId` in the query language), if the host has one.
    public var ec2InstanceId: String?
    public var status: Status
    /// Whether the agent is connected; tasks are not placed on instances whose agent is not.
    public var agentConnected: Bool
    /// The agent version, e.g. `1.51.0` (`agentVersion` in the query language).
    public var agentVersion: String?
    /// Registration time in seconds since the Unix epoch (`registeredAt` in the query language).
    public var registeredAt: Int64?
    /// Remaining CPU units (1024 per vCPU).
    public var remainingCPU: Int
    /// Remaining memory in MiB.
    public var remainingMemory: Int
    /// Host ports in use, including the ones the agent reserves (22, 2375, 2376, 51678, 51679).
    public var usedPorts: Set<HostPort>
    /// Attributes by name; a `nil` value is an attribute without a value (ECS capabilities).
    /// Built-in names are in `InstanceAttributeName`.
    public var attributes: [String: String?]
    /// Running (or pending) tasks per task group (`service:NAME`, `family:NAME`, or a custom
    /// group). `distinctInstance`, `spread` and `task:group` look at these.
    public var taskGroupCounts: [String: Int]
    /// Running (or pending) tasks on the instance (`runningTasksCount` in the query language).
    public var runningTasksCount: Int

    public init(
        arn: String, id: String? = nil, ec2InstanceId: String? = nil, status: Status = .active,
        agentConnected: Bool = true, agentVersion: String? = nil, registeredAt: Int64? = nil,
        remainingCPU: Int, remainingMemory: Int, usedPorts: Set<HostPort> = [],
        attributes: [String: String?] = [:], taskGroupCounts: [String: Int] = [:], runningTasksCount: Int? = nil
    ) {
        self.arn = arn
        self.id = id ?? Self.lastComponent(of: arn)
        self.ec2InstanceId = ec2InstanceId
        self.status = status
        self.agentConnected = agentConnected
        self.agentVersion = agentVersion
        self.registeredAt = registeredAt
        self.remainingCPU = remainingCPU
        self.remainingMemory = remainingMemory
        self.usedPorts = usedPorts
        self.attributes = attributes
        self.taskGroupCounts = taskGroupCounts
        self.runningTasksCount = runningTasksCount ?? taskGroupCounts.values.reduce(0, +)
    }

    /// Sets an attribute; `value` nil makes it an attribute without a value (not a removal).
    public mutating func setAttribute(_ name: String, value: String?) {
        attributes[name] = .some(value)
    }

    /// Tasks of `group` on this instance.
    public func taskCount(inGroup group: String) -> Int {
        taskGroupCounts[group] ?? 0
    }

    private static func lastComponent(of arn: String) -> String {
        guard let slash = arn.lastIndex(of: "/") else { return arn }
        return String(arn[arn.index(after: slash)...])
    }
}
