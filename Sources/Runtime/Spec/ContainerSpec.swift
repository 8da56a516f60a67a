/// One container of a task, in the runtime's terms (ECS container definition fields that matter
/// on a Linux host).
public struct ContainerSpec: Codable, Sendable, Equatable {
    public var name: String
    /// Image reference, resolved in the local image store (`busybox`, `registry:5000/app:1.2`, `sha256:...`).
    public var image: String
    /// Replaces the image's ENTRYPOINT when set.
    public var entryPoint: [String]?
    /// Replaces the image's CMD when set.
    public var command: [String]?
    /// Added to (and overriding) the image's environment, in order.
    public var environment: [EnvironmentVariable]
    public var workingDirectory: String?
    /// `user`, `uid`, `user:group`, `uid:gid` (ECS `user`); names are resolved in the image's /etc/passwd.
    public var user: String?
    /// CPU units (1024 = one CPU), a relative weight.
    public var cpu: Int
    /// Hard memory limit in MiB.
    public var memory: Int?
    /// Soft memory limit in MiB.
    public var memoryReservation: Int?
    /// An essential container's exit stops the task.
    public var essential: Bool
    public var dependsOn: [ContainerDependency]
    public var healthCheck: HealthCheckSpec?
    /// Seconds between SIGTERM and SIGKILL when the container is stopped (ECS default 30).
    public var stopTimeout: Int?
    public var readonlyRootFilesystem: Bool
    /// Run a tiny init as PID 1 that forwards signals and reaps zombies.
    public var initProcessEnabled: Bool
    /// Capabilities added to / dropped from Docker's default set (`NET_ADMIN` or `CAP_NET_ADMIN`, or `ALL`).
    public var capabilitiesAdd: [String]
    public var capabilitiesDrop: [String]
    public var ulimits: [Ulimit]
    public var portMappings: [PortMapping]
    public var mountPoints: [MountPoint]
    /// Log rotation: size of one log file in bytes and how many rotated files to keep.
    public var logMaxBytes: Int?
    public var logMaxFiles: Int?

    public init(
        name: String, image: String, entryPoint: [String]? = nil, command: [String]? = nil,
        environment: [EnvironmentVariable] = [], workingDirectory: String? = nil, user: String? = nil,
        cpu: Int = 0, memory: Int? = nil, memoryReservation: Int? = nil, essential: Bool = true,
        dependsOn: [ContainerDependency] = [], healthCheck: HealthCheckSpec? = nil, stopTimeout: Int? = nil,
        readonlyRootFilesystem: Bool = false, initProcessEnabled: Bool = false,
        capabilitiesAdd: [String] = [], capabilitiesDrop: [String] = [], ulimits: [Ulimit] = [],
        portMappings: [PortMapping] = [], mountPoints: [MountPoint] = [],
        logMaxBytes: Int? = nil, logMaxFiles: Int? = nil
    ) {
        self.name = name
        self.image = image
        self.entryPoint = entryPoint
        self.command = command
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.user = user
        self.cpu = cpu
        self.memory = memory
        self.memoryReservation = memoryReservation
        self.essential = essential
        self.dependsOn = dependsOn
        self.healthCheck = healthCheck
        self.stopTimeout = stopTimeout
        self.readonlyRootFilesystem = readonlyRootFilesystem
        self.initProcessEnabled = initProcessEnabled
        self.capabilitiesAdd = capabilitiesAdd
        self.capabilitiesDrop = capabilitiesDrop
        self.ulimits = ulimits
        self.portMappings = portMappings
        self.mountPoints = mountPoints
        self.logMaxBytes = logMaxBytes
        self.logMaxFiles = logMaxFiles
    }
}

public struct EnvironmentVariable: Codable, Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// ECS `dependsOn`: start this container only once `containerName` reached `condition`.
public struct ContainerDependency: Codable, Sendable, Equatable {
    public enum Condition: String, Codable, Sendable, CaseIterable {
        case start = "START", complete = "COMPLETE", success = "SUCCESS", healthy = "HEALTHY"
    }
    public var containerName: String
    public var condition: Condition
    public init(containerName: String, condition: Condition) {
        self.containerName = containerName
        self.condition = condition
    }
}

/// ECS container health check. `command` is in ECS form: `["CMD", "arg", ...]` or `["CMD-SHELL", "script"]`.
public struct HealthCheckSpec: Codable, Sendable, Equatable {
    public var command: [String]
    /// Seconds between checks (ECS default 30, range 5-300).
    public var interval: Int
    /// Seconds a check may take (ECS default 5, range 2-60).
    public var timeout: Int
    /// Consecutive failures before UNHEALTHY (ECS default 3, range 1-10).
    public var retries: Int
    /// Seconds after start during which failures don't count (ECS default 0, range 0-300).
    public var startPeriod: Int

    public init(command: [String], interval: Int = 30, timeout: Int = 5, retries: Int = 3, startPeriod: Int = 0) {
        self.command = command
        self.interval = interval
        self.timeout = timeout
        self.retries = retries
        self.startPeriod = startPeriod
    }
}

/// A resource limit; `name` as ECS spells it (`nofile`, `nproc`, `core`, `memlock`, ...).
public struct Ulimit: Codable, Sendable, Equatable {
    public var name: String
    public var softLimit: Int
    public var hardLimit: Int
    public init(name: String, softLimit: Int, hardLimit: Int) {
        self.name = name
        self.softLimit = softLimit
        self.hardLimit = hardLimit
    }
}

public struct PortMapping: Codable, Sendable, Equatable {
    public enum TransportProtocol: String, Codable, Sendable { case tcp, udp }
    public var containerPort: Int
    public var hostPort: Int?
    public var transportProtocol: TransportProtocol
    public init(containerPort: Int, hostPort: Int? = nil, transportProtocol: TransportProtocol = .tcp) {
        self.containerPort = containerPort
        self.hostPort = hostPort
        self.transportProtocol = transportProtocol
    }
}

public struct MountPoint: Codable, Sendable, Equatable {
    public var sourceVolume: String
    public var containerPath: String
    public var readOnly: Bool
    public init(sourceVolume: String, containerPath: String, readOnly: Bool = false) {
        self.sourceVolume = sourceVolume
        self.containerPath = containerPath
        self.readOnly = readOnly
    }
}
