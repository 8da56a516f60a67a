/// An attribute a task definition requires of its instance (`requiresAttributes`): the name, and
/// the value when one is given.
public struct RequiredAttribute: Sendable, Hashable {
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// Whether `instance` carries this attribute (with the same value, when one is required).
    public func isSatisfied(by instance: ContainerInstanceCandidate) -> Bool {
        guard let present = instance.attributes[name] else { return false }
        guard let value else { return true }
        return present == value
    }
}

/// The resources one container asks for, as its container definition states them.
public struct ContainerReservation: Sendable, Hashable {
    /// `cpu` (units); nil reserves none.
    public var cpu: Int?
    /// `memory`: the hard limit in MiB.
    public var memory: Int?
    /// `memoryReservation`: the soft limit in MiB.
    public var memoryReservation: Int?
    /// Fixed host ports of its port mappings (bridge/host network modes only; `hostPort` 0 is
    /// dynamic and not listed; `awsvpc` tasks bind no host ports).
    public var hostPorts: [HostPort]

    public init(cpu: Int? = nil, memory: Int? = nil, memoryReservation: Int? = nil, hostPorts: [HostPort] = []) {
        self.cpu = cpu
        self.memory = memory
        self.memoryReservation = memoryReservation
        self.hostPorts = hostPorts
    }

    /// The memory this container takes from its instance: `memoryReservation` when given
    /// (ECS subtracts the soft limit), otherwise `memory`.
    public var reservedMemory: Int { memoryReservation ?? memory ?? 0 }
}

/// What one task needs from a container instance. Every task of one placement request has the
/// same requirement.
public struct TaskRequirement: Sendable, Hashable {
    /// The task definition family.
    public var family: String
    /// The task group: `service:NAME` for service tasks, `family:NAME` by default for standalone
    /// tasks, or the `group` given to RunTask. Spread and distinctInstance count this group.
    public var group: String
    /// CPU units the task reserves.
    public var cpu: Int
    /// Memory in MiB the task reserves.
    public var memory: Int
    /// Host ports the task binds (no duplicates).
    public var hostPorts: [HostPort]
    /// `requiresAttributes` of the task definition.
    public var requiredAttributes: [RequiredAttribute]

    public init(
        family: String, group: String? = nil, cpu: Int, memory: Int, hostPorts: [HostPort] = [],
        requiredAttributes: [RequiredAttribute] = []
    ) {
        self.family = family
        self.group = group ?? Self.defaultGroup(family: family)
        self.cpu = cpu
        self.memory = memory
        self.hostPorts = hostPorts
        self.requiredAttributes = requiredAttributes
    }

    /// The requirement with ECS's reservation rules: task-level `cpu`/`memory` when given;
    /// otherwise the sum over containers of `cpu`, and of `memoryReservation` (or `memory` where
    /// no reservation is given).
    public init(
        family: String, group: String? = nil, taskCPU: Int?, taskMemory: Int?, containers: [ContainerReservation],
        requiredAttributes: [RequiredAttribute] = []
    ) {
        self.init(
            family: family, group: group,
            cpu: taskCPU ?? containers.reduce(0) { $0 + ($1.cpu ?? 0) },
            memory: taskMemory ?? containers.reduce(0) { $0 + $1.reservedMemory },
            hostPorts: containers.flatMap(\.hostPorts), requiredAttributes: requiredAttributes)
    }

    /// The group ECS gives a standalone task that names none: `family:` + the family.
    public static func defaultGroup(family: String) -> String { "family:" + family }
}
