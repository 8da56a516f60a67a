/// ECS `Volume` and its configurations (ECS API Reference: `Volume`, `HostVolumeProperties`,
/// `DockerVolumeConfiguration`, `EFSVolumeConfiguration`).
extension TaskDefinition {
    public struct Volume: Codable, Sendable, Equatable {
        /// Referenced by `mountPoints[].sourceVolume`; up to 255 letters, numbers, hyphens, underscores.
        public var name: String?
        /// A bind mount of a host directory. Without `host` (and without another configuration)
        /// ECS makes an empty, task-scoped volume.
        public var host: HostVolumeProperties?
        public var dockerVolumeConfiguration: DockerVolumeConfiguration?
        public var efsVolumeConfiguration: EFSVolumeConfiguration?
        public var configuredAtLaunch: Bool?

        public init(
            name: String? = nil, host: HostVolumeProperties? = nil,
            dockerVolumeConfiguration: DockerVolumeConfiguration? = nil,
            efsVolumeConfiguration: EFSVolumeConfiguration? = nil, configuredAtLaunch: Bool? = nil
        ) {
            self.name = name
            self.host = host
            self.dockerVolumeConfiguration = dockerVolumeConfiguration
            self.efsVolumeConfiguration = efsVolumeConfiguration
            self.configuredAtLaunch = configuredAtLaunch
        }
    }

    public struct HostVolumeProperties: Codable, Sendable, Equatable {
        /// Host path; when absent the Docker daemon (here: Wharf) picks a task-scoped directory.
        public var sourcePath: String?
        public init(sourcePath: String? = nil) { self.sourcePath = sourcePath }
    }

    public struct DockerVolumeConfiguration: Codable, Sendable, Equatable {
        /// `task` (default; removed with the task) or `shared` (persists).
        public var scope: String?
        public var autoprovision: Bool?
        public var driver: String?
        public var driverOpts: [String: String]?
        public var labels: [String: String]?
        public init(
            scope: String? = nil, autoprovision: Bool? = nil, driver: String? = nil,
            driverOpts: [String: String]? = nil, labels: [String: String]? = nil
        ) {
            self.scope = scope
            self.autoprovision = autoprovision
            self.driver = driver
            self.driverOpts = driverOpts
            self.labels = labels
        }
    }

    public struct EFSVolumeConfiguration: Codable, Sendable, Equatable {
        public var fileSystemId: String?
        public var rootDirectory: String?
        /// `ENABLED` or `DISABLED`.
        public var transitEncryption: String?
        public var transitEncryptionPort: Int?
        public var authorizationConfig: EFSAuthorizationConfig?
        public init(
            fileSystemId: String? = nil, rootDirectory: String? = nil, transitEncryption: String? = nil,
            transitEncryptionPort: Int? = nil, authorizationConfig: EFSAuthorizationConfig? = nil
        ) {
            self.fileSystemId = fileSystemId
            self.rootDirectory = rootDirectory
            self.transitEncryption = transitEncryption
            self.transitEncryptionPort = transitEncryptionPort
            self.authorizationConfig = authorizationConfig
        }
    }

    public struct EFSAuthorizationConfig: Codable, Sendable, Equatable {
        public var accessPointId: String?
        /// `ENABLED` or `DISABLED`.
        public var iam: String?
        public init(accessPointId: String? = nil, iam: String? = nil) {
            self.accessPointId = accessPointId
            self.iam = iam
        }
    }
}
