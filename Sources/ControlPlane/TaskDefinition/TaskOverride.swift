/// ECS `TaskOverride` (RunTask / StartTask `overrides`), the members Wharf reads plus the ones it
/// keeps only for round trips.
public struct TaskOverride: Codable, Sendable, Equatable {
    public var containerOverrides: [ContainerOverride]?
    /// Task CPU, in the same string form as ``TaskDefinition/cpu``.
    public var cpu: String?
    /// Task memory, in the same string form as ``TaskDefinition/memory``.
    public var memory: String?
    /// Accepted and ignored: Wharf has no IAM.
    public var taskRoleArn: String?
    /// Accepted and ignored: Wharf has no IAM.
    public var executionRoleArn: String?
    public var ephemeralStorage: TaskDefinition.EphemeralStorage?

    public init(
        containerOverrides: [ContainerOverride]? = nil, cpu: String? = nil, memory: String? = nil,
        taskRoleArn: String? = nil, executionRoleArn: String? = nil,
        ephemeralStorage: TaskDefinition.EphemeralStorage? = nil
    ) {
        self.containerOverrides = containerOverrides
        self.cpu = cpu
        self.memory = memory
        self.taskRoleArn = taskRoleArn
        self.executionRoleArn = executionRoleArn
        self.ephemeralStorage = ephemeralStorage
    }
}

/// ECS `ContainerOverride`.
public struct ContainerOverride: Codable, Sendable, Equatable {
    /// The container definition this override applies to (required).
    public var name: String?
    /// Replaces the container definition's `command`.
    public var command: [String]?
    /// Merged into the container definition's `environment`: a variable of the same name is
    /// replaced, others are appended (ECS: "You can override the existing environment variables
    /// from the Docker image or the task definition.").
    public var environment: [TaskDefinition.KeyValuePair]?
    public var environmentFiles: [ContainerDefinition.EnvironmentFile]?
    public var cpu: Int?
    public var memory: Int?
    public var memoryReservation: Int?
    public var resourceRequirements: [ContainerDefinition.ResourceRequirement]?

    public init(
        name: String? = nil, command: [String]? = nil, environment: [TaskDefinition.KeyValuePair]? = nil,
        environmentFiles: [ContainerDefinition.EnvironmentFile]? = nil, cpu: Int? = nil, memory: Int? = nil,
        memoryReservation: Int? = nil, resourceRequirements: [ContainerDefinition.ResourceRequirement]? = nil
    ) {
        self.name = name
        self.command = command
        self.environment = environment
        self.environmentFiles = environmentFiles
        self.cpu = cpu
        self.memory = memory
        self.memoryReservation = memoryReservation
        self.resourceRequirements = resourceRequirements
    }
}
