/// An ECS container definition, member for member as the ECS API Reference's `ContainerDefinition`
/// data type names it. Everything is optional so absent members stay absent when encoded again.
public struct ContainerDefinition: Codable, Sendable, Equatable {
    public typealias KeyValuePair = TaskDefinition.KeyValuePair

    public var name: String?
    public var image: String?
    public var repositoryCredentials: RepositoryCredentials?
    /// CPU units (1024 = one CPU), a relative weight on Linux.
    public var cpu: Int?
    /// Hard memory limit in MiB.
    public var memory: Int?
    /// Soft memory limit in MiB.
    public var memoryReservation: Int?
    public var links: [String]?
    public var portMappings: [PortMapping]?
    /// Defaults to `true` when absent.
    public var essential: Bool?
    public var restartPolicy: RestartPolicy?
    public var entryPoint: [String]?
    public var command: [String]?
    public var environment: [KeyValuePair]?
    public var environmentFiles: [EnvironmentFile]?
    public var mountPoints: [MountPoint]?
    public var volumesFrom: [VolumeFrom]?
    public var linuxParameters: LinuxParameters?
    public var secrets: [Secret]?
    public var dependsOn: [ContainerDependency]?
    public var startTimeout: Int?
    public var stopTimeout: Int?
    /// `enabled` or `disabled`.
    public var versionConsistency: String?
    public var hostname: String?
    public var user: String?
    public var workingDirectory: String?
    public var disableNetworking: Bool?
    public var privileged: Bool?
    public var readonlyRootFilesystem: Bool?
    public var dnsServers: [String]?
    public var dnsSearchDomains: [String]?
    public var extraHosts: [HostEntry]?
    public var dockerSecurityOptions: [String]?
    public var interactive: Bool?
    public var pseudoTerminal: Bool?
    public var dockerLabels: [String: String]?
    public var ulimits: [Ulimit]?
    public var logConfiguration: LogConfiguration?
    public var healthCheck: HealthCheck?
    public var systemControls: [SystemControl]?
    public var resourceRequirements: [ResourceRequirement]?
    public var firelensConfiguration: FirelensConfiguration?
    public var credentialSpecs: [String]?

    public init(
        name: String? = nil, image: String? = nil, repositoryCredentials: RepositoryCredentials? = nil,
        cpu: Int? = nil, memory: Int? = nil, memoryReservation: Int? = nil, links: [String]? = nil,
        portMappings: [PortMapping]? = nil, essential: Bool? = nil, restartPolicy: RestartPolicy? = nil,
        entryPoint: [String]? = nil, command: [String]? = nil, environment: [KeyValuePair]? = nil,
        environmentFiles: [EnvironmentFile]? = nil, mountPoints: [MountPoint]? = nil,
        volumesFrom: [VolumeFrom]? = nil, linuxParameters: LinuxParameters? = nil, secrets: [Secret]? = nil,
        dependsOn: [ContainerDependency]? = nil, startTimeout: Int? = nil, stopTimeout: Int? = nil,
        versionConsistency: String? = nil, hostname: String? = nil, user: String? = nil,
        workingDirectory: String? = nil, disableNetworking: Bool? = nil, privileged: Bool? = nil,
        readonlyRootFilesystem: Bool? = nil, dnsServers: [String]? = nil, dnsSearchDomains: [String]? = nil,
        extraHosts: [HostEntry]? = nil, dockerSecurityOptions: [String]? = nil, interactive: Bool? = nil,
        pseudoTerminal: Bool? = nil, dockerLabels: [String: String]? = nil, ulimits: [Ulimit]? = nil,
        logConfiguration: LogConfiguration? = nil, healthCheck: HealthCheck? = nil,
        systemControls: [SystemControl]? = nil, resourceRequirements: [ResourceRequirement]? = nil,
        firelensConfiguration: FirelensConfiguration? = nil, credentialSpecs: [String]? = nil
    ) {
        self.name = name
        self.image = image
        self.repositoryCredentials = repositoryCredentials
        self.cpu = cpu
        self.memory = memory
        self.memoryReservation = memoryReservation
        self.links = links
        self.portMappings = portMappings
        self.essential = essential
        self.restartPolicy = restartPolicy
        self.entryPoint = entryPoint
        self.command = command
        self.environment = environment
        self.environmentFiles = environmentFiles
        self.mountPoints = mountPoints
        self.volumesFrom = volumesFrom
        self.linuxParameters = linuxParameters
        self.secrets = secrets
        self.dependsOn = dependsOn
        self.startTimeout = startTimeout
        self.stopTimeout = stopTimeout
        self.versionConsistency = versionConsistency
        self.hostname = hostname
        self.user = user
        self.workingDirectory = workingDirectory
        self.disableNetworking = disableNetworking
        self.privileged = privileged
        self.readonlyRootFilesystem = readonlyRootFilesystem
        self.dnsServers = dnsServers
        self.dnsSearchDomains = dnsSearchDomains
        self.extraHosts = extraHosts
        self.dockerSecurityOptions = dockerSecurityOptions
        self.interactive = interactive
        self.pseudoTerminal = pseudoTerminal
        self.dockerLabels = dockerLabels
        self.ulimits = ulimits
        self.logConfiguration = logConfiguration
        self.healthCheck = healthCheck
        self.systemControls = systemControls
        self.resourceRequirements = resourceRequirements
        self.firelensConfiguration = firelensConfiguration
        self.credentialSpecs = credentialSpecs
    }
}
