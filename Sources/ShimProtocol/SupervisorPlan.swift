import LinuxHost

/// Everything a task's supervisor needs to run the task, already resolved by the runtime:
/// image layers to directories, users to ids, capability names to a mask, volumes to paths.
///
/// The runtime writes it to the task directory (`plan`) before it starts the supervisor; the
/// supervisor never decides anything the plan does not say.
public struct SupervisorPlan: Equatable, Sendable {
    public var taskID: String
    public var hostname: String?
    /// The task's cgroup, relative to the hierarchy root (`wharf/TASKID`).
    public var cgroupPath: String
    /// Whether each container has a cgroup of its own below the task's (`wharf/TASKID/NAME`).
    /// When `false`, the task's one container runs in the task's cgroup, which then carries
    /// the container's limits too (see `cgroupPath(ofContainer:)`).
    public var containersHaveOwnCgroups: Bool
    /// The host's cgroup hierarchy as the runtime detected it once, so a supervisor does not
    /// parse `/proc/self/mountinfo` (a line per live task's namespace pin) on every launch.
    public var cgroupHierarchy: CgroupHierarchy
    /// Resources named after the task: what the containers join (the network namespace) and
    /// what teardown removes.
    public var resources: TaskResources
    public var containers: [ContainerPlan]

    public init(
        taskID: String, hostname: String?, cgroupPath: String, containersHaveOwnCgroups: Bool = true,
        cgroupHierarchy: CgroupHierarchy, resources: TaskResources, containers: [ContainerPlan]
    ) {
        self.taskID = taskID
        self.hostname = hostname
        self.cgroupPath = cgroupPath
        self.containersHaveOwnCgroups = containersHaveOwnCgroups
        self.cgroupHierarchy = cgroupHierarchy
        self.resources = resources
        self.containers = containers
    }
}

extension SupervisorPlan {
    /// The cgroup the container named `name` runs in (and its health checks join).
    public func cgroupPath(ofContainer name: String) -> String {
        containersHaveOwnCgroups ? cgroupPath + "/" + name : cgroupPath
    }

    /// The names of the container cgroups below the task's, which go before the task's own.
    public var containerCgroupNames: [String] {
        containersHaveOwnCgroups ? containers.map(\.name) : []
    }
}

/// Host resources a task owns besides its directory, each named after the task.
public struct TaskResources: Equatable, Sendable {
    /// The descriptor number the supervisor receives its task's network namespace as: the
    /// first one after standard input, output and error.
    public static let inheritedNetworkNamespaceDescriptor: Int32 = 3

    /// Host end of the task's veth pair.
    public var vethName: String?
    /// The descriptor, in the supervisor, of the network namespace its containers join (`nil`:
    /// the host's network). The runtime sends the namespace with the start message (SCM_RIGHTS)
    /// and the supervisor moves it to this descriptor
    /// (`TaskResources.inheritedNetworkNamespaceDescriptor`); the
    /// supervisor's descriptor is what keeps the namespace alive for the task.
    public var networkNamespaceDescriptor: Int32?
    /// IPAM pool directory and the address the task holds in it.
    public var addressPoolDirectory: String?
    public var address: String?
    /// Bridge mode: the ports the task publishes on the host.
    public var publishedPorts: PublishedPorts?

    public init(
        vethName: String? = nil, networkNamespaceDescriptor: Int32? = nil, addressPoolDirectory: String? = nil,
        address: String? = nil, publishedPorts: PublishedPorts? = nil
    ) {
        self.vethName = vethName
        self.networkNamespaceDescriptor = networkNamespaceDescriptor
        self.addressPoolDirectory = addressPoolDirectory
        self.address = address
        self.publishedPorts = publishedPorts
    }
}

/// One container as the supervisor starts it.
public struct ContainerPlan: Equatable, Sendable {
    public var name: String
    public var essential: Bool
    public var arguments: [String]
    public var environment: [String]
    public var workingDirectory: String
    public var uid: UInt32
    public var gid: UInt32
    public var supplementaryGroups: [UInt32]
    /// Capability bitmask (`1 << CAP_X`) the process keeps.
    public var capabilities: UInt64
    public var noNewPrivileges: Bool
    public var initProcess: Bool
    public var readonlyRootFilesystem: Bool
    /// Image layer directories, top-most first (overlay `lowerdir` order).
    public var layerDirectories: [String]
    public var mounts: [BindMount]
    public var resourceLimits: [ResourceLimit]
    public var dependsOn: [Dependency]
    public var healthCheck: HealthCheckPlan?
    /// Seconds between SIGTERM and SIGKILL.
    public var stopTimeout: Int
    public var logMaxBytes: Int
    public var logMaxFiles: Int

    public init(
        name: String, essential: Bool, arguments: [String], environment: [String], workingDirectory: String = "/",
        uid: UInt32 = 0, gid: UInt32 = 0, supplementaryGroups: [UInt32] = [], capabilities: UInt64,
        noNewPrivileges: Bool = true, initProcess: Bool = false, readonlyRootFilesystem: Bool = false,
        layerDirectories: [String], mounts: [BindMount] = [], resourceLimits: [ResourceLimit] = [],
        dependsOn: [Dependency] = [], healthCheck: HealthCheckPlan? = nil, stopTimeout: Int = 30,
        logMaxBytes: Int = 10 << 20, logMaxFiles: Int = 3
    ) {
        self.name = name
        self.essential = essential
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.uid = uid
        self.gid = gid
        self.supplementaryGroups = supplementaryGroups
        self.capabilities = capabilities
        self.noNewPrivileges = noNewPrivileges
        self.initProcess = initProcess
        self.readonlyRootFilesystem = readonlyRootFilesystem
        self.layerDirectories = layerDirectories
        self.mounts = mounts
        self.resourceLimits = resourceLimits
        self.dependsOn = dependsOn
        self.healthCheck = healthCheck
        self.stopTimeout = stopTimeout
        self.logMaxBytes = logMaxBytes
        self.logMaxFiles = logMaxFiles
    }

    public struct BindMount: Equatable, Sendable {
        public var source: String
        public var target: String
        public var readOnly: Bool
        public init(source: String, target: String, readOnly: Bool) {
            self.source = source
            self.target = target
            self.readOnly = readOnly
        }
    }

    public struct ResourceLimit: Equatable, Sendable {
        /// `RLIMIT_*` number.
        public var resource: Int32
        public var soft: UInt64
        public var hard: UInt64
        public init(resource: Int32, soft: UInt64, hard: UInt64) {
            self.resource = resource
            self.soft = soft
            self.hard = hard
        }
    }

    public struct Dependency: Equatable, Sendable {
        /// ECS condition names: START, COMPLETE, SUCCESS, HEALTHY.
        public var containerName: String
        public var condition: String
        public init(containerName: String, condition: String) {
            self.containerName = containerName
            self.condition = condition
        }
    }
}

/// A container health check with its command already in exec form.
public struct HealthCheckPlan: Equatable, Sendable {
    public var arguments: [String]
    public var intervalSeconds: Int
    public var timeoutSeconds: Int
    public var retries: Int
    public var startPeriodSeconds: Int

    public init(arguments: [String], intervalSeconds: Int, timeoutSeconds: Int, retries: Int, startPeriodSeconds: Int) {
        self.arguments = arguments
        self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds
        self.retries = retries
        self.startPeriodSeconds = startPeriodSeconds
    }
}
