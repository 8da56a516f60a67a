import Foundation

/// The part of a task the `task` row keeps as JSON (`TaskRecord.document`): everything ECS's
/// `Task` reports that no query filters on, plus the reconciler's progress through the load
/// balancer phases. Every member may be absent (`"{}"` reads as an empty document).
struct TaskDocument: StoredDocument, Sendable, Equatable {
    /// Where a task with load balancers is in registering and deregistering its targets.
    enum LoadBalancerPhase: String, Codable, Sendable {
        /// Not registered (yet).
        case unregistered
        /// ACTIVATING was recorded: registration is under way (or done but not yet recorded).
        case registering
        case registered
        /// Deregistered and drained.
        case deregistered
    }

    var family: String?
    var revision: Int?
    /// Task CPU units and memory MiB in ECS's string form, after overrides.
    var cpu: String?
    var memory: String?
    var networkMode: String?
    /// The overrides as given (nil: none).
    var overrides: TaskOverride?
    var containers: [TaskContainerState] = []
    var attachment: TaskENIAttachment?
    var networkConfiguration: TaskNetworkConfiguration?
    var availabilityZone: String?
    var cpuArchitecture: String?
    var enableExecuteCommand: Bool?
    var platformVersion: String?
    var capacityProviderName: String?
    var ephemeralStorage: TaskDefinition.EphemeralStorage?
    var loadBalancers: [TaskLoadBalancer] = []
    var loadBalancerPhase: LoadBalancerPhase = .unregistered
    /// Task health, from the essential containers' health checks.
    var healthStatus: String?
    /// The task's IPv4 address once known.
    var address: String?
    var hostname: String?
    /// The runtime's ID for the task.
    var runtimeTaskID: String?
    var pullStartedAt: Double?
    var pullStoppedAt: Double?
    var executionStoppedAt: Double?
    var connectivityAt: Double?
    /// When the agent was last asked to stop the task.
    var stopRequestedAt: Double?

    init() {}

    private enum CodingKeys: String, CodingKey {
        case family, revision, cpu, memory, networkMode, overrides, containers, attachment, networkConfiguration
        case availabilityZone, cpuArchitecture, enableExecuteCommand, platformVersion, capacityProviderName
        case ephemeralStorage, loadBalancers, loadBalancerPhase, healthStatus, address, hostname, runtimeTaskID
        case pullStartedAt, pullStoppedAt, executionStoppedAt, connectivityAt, stopRequestedAt
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        family = try c.decodeIfPresent(String.self, forKey: .family)
        revision = try c.decodeIfPresent(Int.self, forKey: .revision)
        cpu = try c.decodeIfPresent(String.self, forKey: .cpu)
        memory = try c.decodeIfPresent(String.self, forKey: .memory)
        networkMode = try c.decodeIfPresent(String.self, forKey: .networkMode)
        overrides = try c.decodeIfPresent(TaskOverride.self, forKey: .overrides)
        containers = try c.decodeIfPresent([TaskContainerState].self, forKey: .containers) ?? []
        attachment = try c.decodeIfPresent(TaskENIAttachment.self, forKey: .attachment)
        networkConfiguration = try c.decodeIfPresent(TaskNetworkConfiguration.self, forKey: .networkConfiguration)
        availabilityZone = try c.decodeIfPresent(String.self, forKey: .availabilityZone)
        cpuArchitecture = try c.decodeIfPresent(String.self, forKey: .cpuArchitecture)
        enableExecuteCommand = try c.decodeIfPresent(Bool.self, forKey: .enableExecuteCommand)
        platformVersion = try c.decodeIfPresent(String.self, forKey: .platformVersion)
        capacityProviderName = try c.decodeIfPresent(String.self, forKey: .capacityProviderName)
        ephemeralStorage = try c.decodeIfPresent(TaskDefinition.EphemeralStorage.self, forKey: .ephemeralStorage)
        loadBalancers = try c.decodeIfPresent([TaskLoadBalancer].self, forKey: .loadBalancers) ?? []
        loadBalancerPhase = try c.decodeIfPresent(LoadBalancerPhase.self, forKey: .loadBalancerPhase) ?? .unregistered
        healthStatus = try c.decodeIfPresent(String.self, forKey: .healthStatus)
        address = try c.decodeIfPresent(String.self, forKey: .address)
        hostname = try c.decodeIfPresent(String.self, forKey: .hostname)
        runtimeTaskID = try c.decodeIfPresent(String.self, forKey: .runtimeTaskID)
        pullStartedAt = try c.decodeIfPresent(Double.self, forKey: .pullStartedAt)
        pullStoppedAt = try c.decodeIfPresent(Double.self, forKey: .pullStoppedAt)
        executionStoppedAt = try c.decodeIfPresent(Double.self, forKey: .executionStoppedAt)
        connectivityAt = try c.decodeIfPresent(Double.self, forKey: .connectivityAt)
        stopRequestedAt = try c.decodeIfPresent(Double.self, forKey: .stopRequestedAt)
    }

    /// Whether targets may be registered and must be deregistered before the task ends.
    var needsDeregistration: Bool {
        !loadBalancers.isEmpty && (loadBalancerPhase == .registering || loadBalancerPhase == .registered)
    }
}

/// One container of a stored task: what the task definition said (after overrides) and what
/// the host last reported.
extension TaskDocument {
    /// The task's load balancer targets at `address` (its own IP in awsvpc mode).
    func loadBalancerTargets(taskArn: String, address: String?) -> [LoadBalancerTarget] {
        loadBalancers.compactMap { binding in
            guard let name = binding.containerName, let port = binding.containerPort else { return nil }
            let hostMode = networkMode == "host"
            let mapping = containers.first { $0.name == name }?.portMappings.first { $0.containerPort == port }
            return LoadBalancerTarget(
                targetGroupArn: binding.targetGroupArn, loadBalancerName: binding.loadBalancerName,
                // Host and none network modes have no task address: the port is on the host.
                address: address ?? "127.0.0.1", port: hostMode ? (mapping?.hostPort ?? port) : port,
                taskArn: taskArn, containerName: name)
        }
    }
}

struct TaskContainerState: Codable, Sendable, Equatable {
    var containerArn: String
    var name: String
    var image: String
    /// The manifest digest of the image the host runs, from its reports (ECS's `imageDigest`).
    var imageDigest: String?
    var essential: Bool
    var cpu: Int
    var memory: Int?
    var memoryReservation: Int?
    var portMappings: [TaskPortMapping]
    /// `PENDING`, `RUNNING` or `STOPPED`.
    var lastStatus: String
    var exitCode: Int?
    var reason: String?
    var healthStatus: String
}

/// A container port and the host port it binds (host network mode).
struct TaskPortMapping: Codable, Sendable, Equatable {
    var containerPort: Int
    var hostPort: Int?
    /// `tcp` or `udp`.
    var transport: String
}

/// The task's ENI (awsvpc): an `ElasticNetworkInterface` attachment.
struct TaskENIAttachment: Codable, Sendable, Equatable {
    var id: String
    /// `PRECREATED`, `ATTACHED`, `DETACHING`, `DELETED`.
    var status: String
    var subnetId: String?
    var networkInterfaceId: String
    var macAddress: String?
    var privateDnsName: String?
    var privateIPv4Address: String?
}
