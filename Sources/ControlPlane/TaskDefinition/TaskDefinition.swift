import Foundation

/// An Amazon ECS task definition, member for member as the ECS API names it.
///
/// Decodes the request body of `RegisterTaskDefinition` (what
/// `aws ecs register-task-definition --cli-input-json file://x.json` sends) and encodes back to the
/// shape `DescribeTaskDefinition` returns. Every member is optional so that what was absent stays
/// absent when encoded again; members ECS defines that Wharf does not model are ignored on decode.
///
/// Source: Amazon ECS API Reference, `RegisterTaskDefinition` request syntax and the `TaskDefinition`
/// data type. Task-level `cpu` and `memory` are strings there (`"256"`, `"1 vCPU"`, `"2 GB"`);
/// see ``TaskSize`` for how they are read.
public struct TaskDefinition: Codable, Sendable, Equatable {
    // MARK: RegisterTaskDefinition request members

    public var family: String?
    public var taskRoleArn: String?
    public var executionRoleArn: String?
    /// `awsvpc`, `bridge`, `host` or `none`.
    public var networkMode: String?
    public var containerDefinitions: [ContainerDefinition]?
    public var volumes: [Volume]?
    public var placementConstraints: [PlacementConstraint]?
    /// `EC2`, `FARGATE`, `EXTERNAL`, `MANAGED_INSTANCES`.
    public var requiresCompatibilities: [String]?
    /// Task CPU as ECS takes it: CPU units (`"256"`) or vCPUs (`"1 vCPU"`, `"0.5 vcpu"`).
    public var cpu: String?
    /// Task memory as ECS takes it: MiB (`"512"`) or GB (`"2 GB"`, `"2GB"`).
    public var memory: String?
    public var tags: [Tag]?
    /// `host` or `task`.
    public var pidMode: String?
    /// `host`, `task` or `none`.
    public var ipcMode: String?
    public var proxyConfiguration: ProxyConfiguration?
    public var inferenceAccelerators: [InferenceAccelerator]?
    public var ephemeralStorage: EphemeralStorage?
    public var runtimePlatform: RuntimePlatform?
    public var enableFaultInjection: Bool?

    // MARK: Members only in responses (DescribeTaskDefinition / RegisterTaskDefinition output)

    public var taskDefinitionArn: String?
    public var revision: Int?
    /// `ACTIVE`, `INACTIVE`, `DELETE_IN_PROGRESS`.
    public var status: String?
    public var requiresAttributes: [Attribute]?
    public var compatibilities: [String]?
    /// Seconds since the epoch (the JSON protocol's timestamp form).
    public var registeredAt: Double?
    public var deregisteredAt: Double?
    /// When DeleteTaskDefinitions moved the revision to `DELETE_IN_PROGRESS` (seconds since the epoch).
    public var deleteRequestedAt: Double?
    public var registeredBy: String?

    public init(
        family: String? = nil, taskRoleArn: String? = nil, executionRoleArn: String? = nil,
        networkMode: String? = nil, containerDefinitions: [ContainerDefinition]? = nil,
        volumes: [Volume]? = nil, placementConstraints: [PlacementConstraint]? = nil,
        requiresCompatibilities: [String]? = nil, cpu: String? = nil, memory: String? = nil,
        tags: [Tag]? = nil, pidMode: String? = nil, ipcMode: String? = nil,
        proxyConfiguration: ProxyConfiguration? = nil, inferenceAccelerators: [InferenceAccelerator]? = nil,
        ephemeralStorage: EphemeralStorage? = nil, runtimePlatform: RuntimePlatform? = nil,
        enableFaultInjection: Bool? = nil,
        taskDefinitionArn: String? = nil, revision: Int? = nil, status: String? = nil,
        requiresAttributes: [Attribute]? = nil, compatibilities: [String]? = nil,
        registeredAt: Double? = nil, deregisteredAt: Double? = nil, registeredBy: String? = nil,
        deleteRequestedAt: Double? = nil
    ) {
        self.family = family
        self.taskRoleArn = taskRoleArn
        self.executionRoleArn = executionRoleArn
        self.networkMode = networkMode
        self.containerDefinitions = containerDefinitions
        self.volumes = volumes
        self.placementConstraints = placementConstraints
        self.requiresCompatibilities = requiresCompatibilities
        self.cpu = cpu
        self.memory = memory
        self.tags = tags
        self.pidMode = pidMode
        self.ipcMode = ipcMode
        self.proxyConfiguration = proxyConfiguration
        self.inferenceAccelerators = inferenceAccelerators
        self.ephemeralStorage = ephemeralStorage
        self.runtimePlatform = runtimePlatform
        self.enableFaultInjection = enableFaultInjection
        self.taskDefinitionArn = taskDefinitionArn
        self.revision = revision
        self.status = status
        self.requiresAttributes = requiresAttributes
        self.compatibilities = compatibilities
        self.registeredAt = registeredAt
        self.deregisteredAt = deregisteredAt
        self.registeredBy = registeredBy
        self.deleteRequestedAt = deleteRequestedAt
    }
}

// MARK: - JSON entry points

extension TaskDefinition {
    /// Decodes a task definition from ECS JSON (a `RegisterTaskDefinition` request body or the
    /// `taskDefinition` member of a `DescribeTaskDefinition` response). Unknown members are ignored.
    ///
    /// Malformed JSON or a member of the wrong type throws a ``TaskDefinitionError`` with code
    /// `.serializationException`, as ECS answers such a request. Decoding does not validate; call
    /// ``validate()``.
    public static func decode(from data: Data) throws(TaskDefinitionError) -> TaskDefinition {
        do {
            return try JSONDecoder().decode(TaskDefinition.self, from: data)
        } catch let error as DecodingError {
            throw TaskDefinitionError(decoding: error)
        } catch {
            throw TaskDefinitionError(.serializationException, field: "", message: "\(error)")
        }
    }

    /// Encodes in ECS's JSON shape: only the members that are set, keys sorted, slashes unescaped.
    public func encodedJSON(prettyPrinted: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted
            ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// `family:revision`, or the family alone when no revision is known.
    public func familyAndRevision(revision: Int? = nil) -> String? {
        guard let family else { return nil }
        if let rev = revision ?? self.revision { return "\(family):\(rev)" }
        return family
    }
}
