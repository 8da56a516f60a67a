/// The member types of ``ContainerDefinition`` (ECS API Reference data types of the same names).
extension ContainerDefinition {
    /// ECS `RepositoryCredentials`.
    public struct RepositoryCredentials: Codable, Sendable, Equatable {
        public var credentialsParameter: String?
        public init(credentialsParameter: String? = nil) { self.credentialsParameter = credentialsParameter }
    }

    /// ECS `PortMapping`.
    public struct PortMapping: Codable, Sendable, Equatable {
        public var containerPort: Int?
        public var hostPort: Int?
        /// `tcp` (default) or `udp`.
        public var `protocol`: String?
        /// Service Connect name.
        public var name: String?
        /// `http`, `http2`, `grpc`.
        public var appProtocol: String?
        /// `"start-end"`, e.g. `"8000-8010"`; instead of `containerPort`.
        public var containerPortRange: String?
        /// Response only.
        public var hostPortRange: String?
        public init(
            containerPort: Int? = nil, hostPort: Int? = nil, protocol: String? = nil, name: String? = nil,
            appProtocol: String? = nil, containerPortRange: String? = nil, hostPortRange: String? = nil
        ) {
            self.containerPort = containerPort
            self.hostPort = hostPort
            self.protocol = `protocol`
            self.name = name
            self.appProtocol = appProtocol
            self.containerPortRange = containerPortRange
            self.hostPortRange = hostPortRange
        }
    }

    /// ECS `ContainerRestartPolicy`.
    public struct RestartPolicy: Codable, Sendable, Equatable {
        public var enabled: Bool?
        public var ignoredExitCodes: [Int]?
        public var restartAttemptPeriod: Int?
        public init(enabled: Bool? = nil, ignoredExitCodes: [Int]? = nil, restartAttemptPeriod: Int? = nil) {
            self.enabled = enabled
            self.ignoredExitCodes = ignoredExitCodes
            self.restartAttemptPeriod = restartAttemptPeriod
        }
    }

    /// ECS `EnvironmentFile`: `type` is `s3`.
    public struct EnvironmentFile: Codable, Sendable, Equatable {
        public var value: String?
        public var type: String?
        public init(value: String? = nil, type: String? = nil) {
            self.value = value
            self.type = type
        }
    }

    /// ECS `MountPoint`.
    public struct MountPoint: Codable, Sendable, Equatable {
        public var sourceVolume: String?
        public var containerPath: String?
        public var readOnly: Bool?
        public init(sourceVolume: String? = nil, containerPath: String? = nil, readOnly: Bool? = nil) {
            self.sourceVolume = sourceVolume
            self.containerPath = containerPath
            self.readOnly = readOnly
        }
    }

    /// ECS `VolumeFrom`.
    public struct VolumeFrom: Codable, Sendable, Equatable {
        public var sourceContainer: String?
        public var readOnly: Bool?
        public init(sourceContainer: String? = nil, readOnly: Bool? = nil) {
            self.sourceContainer = sourceContainer
            self.readOnly = readOnly
        }
    }

    /// ECS `LinuxParameters`.
    public struct LinuxParameters: Codable, Sendable, Equatable {
        public var capabilities: KernelCapabilities?
        public var devices: [Device]?
        public var initProcessEnabled: Bool?
        /// MiB of /dev/shm.
        public var sharedMemorySize: Int?
        public var tmpfs: [Tmpfs]?
        /// MiB; `-1` means unlimited swap.
        public var maxSwap: Int?
        /// 0-100.
        public var swappiness: Int?
        public init(
            capabilities: KernelCapabilities? = nil, devices: [Device]? = nil, initProcessEnabled: Bool? = nil,
            sharedMemorySize: Int? = nil, tmpfs: [Tmpfs]? = nil, maxSwap: Int? = nil, swappiness: Int? = nil
        ) {
            self.capabilities = capabilities
            self.devices = devices
            self.initProcessEnabled = initProcessEnabled
            self.sharedMemorySize = sharedMemorySize
            self.tmpfs = tmpfs
            self.maxSwap = maxSwap
            self.swappiness = swappiness
        }
    }

    /// ECS `KernelCapabilities`.
    public struct KernelCapabilities: Codable, Sendable, Equatable {
        public var add: [String]?
        public var drop: [String]?
        public init(add: [String]? = nil, drop: [String]? = nil) {
            self.add = add
            self.drop = drop
        }
    }

    /// ECS `Device`.
    public struct Device: Codable, Sendable, Equatable {
        public var hostPath: String?
        public var containerPath: String?
        /// `read`, `write`, `mknod`.
        public var permissions: [String]?
        public init(hostPath: String? = nil, containerPath: String? = nil, permissions: [String]? = nil) {
            self.hostPath = hostPath
            self.containerPath = containerPath
            self.permissions = permissions
        }
    }

    /// ECS `Tmpfs`: `size` in MiB.
    public struct Tmpfs: Codable, Sendable, Equatable {
        public var containerPath: String?
        public var size: Int?
        public var mountOptions: [String]?
        public init(containerPath: String? = nil, size: Int? = nil, mountOptions: [String]? = nil) {
            self.containerPath = containerPath
            self.size = size
            self.mountOptions = mountOptions
        }
    }

    /// ECS `Secret`.
    public struct Secret: Codable, Sendable, Equatable {
        public var name: String?
        public var valueFrom: String?
        public init(name: String? = nil, valueFrom: String? = nil) {
            self.name = name
            self.valueFrom = valueFrom
        }
    }

    /// ECS `ContainerDependency`: `condition` is `START`, `COMPLETE`, `SUCCESS` or `HEALTHY`.
    public struct ContainerDependency: Codable, Sendable, Equatable {
        public var containerName: String?
        public var condition: String?
        public init(containerName: String? = nil, condition: String? = nil) {
            self.containerName = containerName
            self.condition = condition
        }
    }

    /// ECS `HostEntry` (`extraHosts`).
    public struct HostEntry: Codable, Sendable, Equatable {
        public var hostname: String?
        public var ipAddress: String?
        public init(hostname: String? = nil, ipAddress: String? = nil) {
            self.hostname = hostname
            self.ipAddress = ipAddress
        }
    }

    /// ECS `Ulimit`.
    public struct Ulimit: Codable, Sendable, Equatable {
        public var name: String?
        public var softLimit: Int?
        public var hardLimit: Int?
        public init(name: String? = nil, softLimit: Int? = nil, hardLimit: Int? = nil) {
            self.name = name
            self.softLimit = softLimit
            self.hardLimit = hardLimit
        }
    }

    /// ECS `LogConfiguration`.
    public struct LogConfiguration: Codable, Sendable, Equatable {
        /// `json-file`, `awslogs`, `syslog`, ...
        public var logDriver: String?
        public var options: [String: String]?
        public var secretOptions: [Secret]?
        public init(logDriver: String? = nil, options: [String: String]? = nil, secretOptions: [Secret]? = nil) {
            self.logDriver = logDriver
            self.options = options
            self.secretOptions = secretOptions
        }
    }

    /// ECS `HealthCheck`: `command` is `["CMD", exe, args...]`, `["CMD-SHELL", script]` or `["NONE"]`.
    public struct HealthCheck: Codable, Sendable, Equatable {
        /// ECS's defaults, which RegisterTaskDefinition fills in and DescribeTaskDefinition shows
        /// (`startPeriod` has none: it stays absent, meaning 0).
        static let defaultInterval = 30
        static let defaultTimeout = 5
        static let defaultRetries = 3
        public var command: [String]?
        public var interval: Int?
        public var timeout: Int?
        public var retries: Int?
        public var startPeriod: Int?
        public init(
            command: [String]? = nil, interval: Int? = nil, timeout: Int? = nil, retries: Int? = nil,
            startPeriod: Int? = nil
        ) {
            self.command = command
            self.interval = interval
            self.timeout = timeout
            self.retries = retries
            self.startPeriod = startPeriod
        }
    }

    /// ECS `SystemControl` (sysctl).
    public struct SystemControl: Codable, Sendable, Equatable {
        public var namespace: String?
        public var value: String?
        public init(namespace: String? = nil, value: String? = nil) {
            self.namespace = namespace
            self.value = value
        }
    }

    /// ECS `ResourceRequirement`: `type` is `GPU` or `InferenceAccelerator`.
    public struct ResourceRequirement: Codable, Sendable, Equatable {
        public var value: String?
        public var type: String?
        public init(value: String? = nil, type: String? = nil) {
            self.value = value
            self.type = type
        }
    }

    /// ECS `FirelensConfiguration`.
    public struct FirelensConfiguration: Codable, Sendable, Equatable {
        public var type: String?
        public var options: [String: String]?
        public init(type: String? = nil, options: [String: String]? = nil) {
            self.type = type
            self.options = options
        }
    }
}
