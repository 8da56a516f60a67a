/// ECS `Task`, member for member as the ECS API Reference names it (what RunTask, StartTask,
/// StopTask and DescribeTasks answer). Timestamps are seconds since the epoch; members that are
/// nil are left out of the JSON.
public struct ECSTask: Codable, Sendable, Equatable {
    public var attachments: [ECSAttachment]?
    public var attributes: [ECSAttribute]?
    public var availabilityZone: String?
    public var capacityProviderName: String?
    public var clusterArn: String?
    /// `CONNECTED` while the host's agent is connected.
    public var connectivity: String?
    public var connectivityAt: Double?
    /// EC2 launch type only (FARGATE tasks report none).
    public var containerInstanceArn: String?
    public var containers: [ECSTaskContainer]?
    /// Task CPU units as a string (`"256"`).
    public var cpu: String?
    public var createdAt: Double?
    public var desiredStatus: String?
    public var enableExecuteCommand: Bool?
    public var ephemeralStorage: TaskDefinition.EphemeralStorage?
    public var executionStoppedAt: Double?
    /// FARGATE tasks: the ephemeral storage their host gives them (as `ephemeralStorage`).
    public var fargateEphemeralStorage: TaskDefinition.EphemeralStorage?
    public var group: String?
    /// `HEALTHY`, `UNHEALTHY` or `UNKNOWN`, from the essential containers' health checks.
    public var healthStatus: String?
    /// Elastic Inference accelerators: none on Wharf's hosts, and ECS answers an empty list.
    public var inferenceAccelerators: [TaskDefinition.InferenceAccelerator]?
    public var lastStatus: String?
    public var launchType: String?
    /// Task memory MiB as a string (`"512"`).
    public var memory: String?
    public var overrides: ECSTaskOverrides?
    public var platformFamily: String?
    public var platformVersion: String?
    public var pullStartedAt: Double?
    public var pullStoppedAt: Double?
    public var startedAt: Double?
    public var startedBy: String?
    /// `TaskFailedToStart`, `EssentialContainerExited`, `UserInitiated`, `ServiceSchedulerInitiated`, ...
    public var stopCode: String?
    public var stoppedAt: Double?
    public var stoppedReason: String?
    public var stoppingAt: Double?
    public var tags: [ECSTag]?
    public var taskArn: String?
    public var taskDefinitionArn: String?
    public var version: Int?

    public init() {}
}

/// ECS `Container` (one container of a task).
public struct ECSTaskContainer: Codable, Sendable, Equatable {
    public var containerArn: String?
    public var taskArn: String?
    public var name: String?
    public var image: String?
    /// The manifest digest (`sha256:…`) of the image the container runs, once the host has it.
    public var imageDigest: String?
    /// The runtime's ID of the container (`RUNTIME-TASK-ID/NAME` in Wharf).
    public var runtimeId: String?
    public var lastStatus: String?
    public var exitCode: Int?
    public var reason: String?
    public var networkBindings: [ECSNetworkBinding]?
    public var networkInterfaces: [ECSNetworkInterface]?
    /// `HEALTHY`, `UNHEALTHY` or `UNKNOWN`.
    public var healthStatus: String?
    /// CPU units as a string (`"0"`).
    public var cpu: String?
    /// Hard memory limit in MiB as a string.
    public var memory: String?
    public var memoryReservation: String?

    public init() {}
}

/// ECS `NetworkBinding`: a host port bound for a container (host network mode).
public struct ECSNetworkBinding: Codable, Sendable, Equatable {
    public var bindIP: String?
    public var containerPort: Int?
    public var hostPort: Int?
    public var `protocol`: String?

    public init(bindIP: String?, containerPort: Int?, hostPort: Int?, protocol: String?) {
        self.bindIP = bindIP
        self.containerPort = containerPort
        self.hostPort = hostPort
        self.protocol = `protocol`
    }
}

/// ECS `NetworkInterface`: a container's address on its task's ENI.
public struct ECSNetworkInterface: Codable, Sendable, Equatable {
    public var attachmentId: String?
    public var privateIpv4Address: String?

    public init(attachmentId: String?, privateIpv4Address: String?) {
        self.attachmentId = attachmentId
        self.privateIpv4Address = privateIpv4Address
    }
}

/// ECS `TaskOverride` as a Task reports it: one `containerOverrides` entry per container (just
/// the name where nothing was overridden) and an empty `inferenceAcceleratorOverrides`.
public struct ECSTaskOverrides: Codable, Sendable, Equatable {
    public var containerOverrides: [ContainerOverride]?
    public var cpu: String?
    public var memory: String?
    public var taskRoleArn: String?
    public var executionRoleArn: String?
    public var ephemeralStorage: TaskDefinition.EphemeralStorage?
    public var inferenceAcceleratorOverrides: [InferenceAcceleratorOverride]?

    public init() {}

    /// ECS `InferenceAcceleratorOverride` (never set by Wharf).
    public struct InferenceAcceleratorOverride: Codable, Sendable, Equatable {
        public var deviceName: String?
        public var deviceType: String?
    }
}
