import Foundation

/// A task's state as its host knows it. Timestamps are the runtime's own (when it recorded the
/// event), not the time the control plane learned of it.
public struct AgentTaskReport: Sendable, Equatable, Codable {
    /// The runtime's phases of a task.
    public enum Status: String, Sendable, Equatable, Codable, Comparable {
        /// Launched; containers not all started yet.
        case pending = "PENDING"
        /// The essential containers run.
        case running = "RUNNING"
        /// Stopping: containers are being stopped, or all stopped and the task's resources are
        /// being released.
        case stopping = "STOPPING"
        /// Every container stopped and the task's network, cgroups and volumes are released.
        case stopped = "STOPPED"

        var order: Int {
            switch self {
            case .pending: 0
            case .running: 1
            case .stopping: 2
            case .stopped: 3
            }
        }

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.order < rhs.order }
    }

    /// The control plane's task ID.
    public var taskID: String
    /// The runtime's own ID for the task (shown as the containers' `runtimeId`).
    public var runtimeTaskID: String
    public var status: Status
    /// The task's IPv4 address (awsvpc).
    public var address: String?
    /// The task's host name (awsvpc: `ip-10-1-2-3`).
    public var hostname: String?
    /// The MAC address of the task's network interface (awsvpc), once known.
    public var macAddress: String?
    public var containers: [AgentContainerReport]
    public var stoppedReason: String?
    /// ECS's stopCode when the task stops on its own account or was asked to.
    public var stopCode: String?
    /// When the launch began (images resolved from here).
    public var createdAt: Date
    /// When the task's network was ready (images resolved and network attached).
    public var networkReadyAt: Date?
    /// When the first container started.
    public var startedAt: Date?
    public var stoppingAt: Date?
    public var stoppedAt: Date?
    /// When the agent began and finished making the task's images ready (nil when it does not
    /// say: then the task's creation and network readiness stand for them).
    public var pullStartedAt: Date?
    public var pullStoppedAt: Date?

    public init(
        taskID: String, runtimeTaskID: String, status: Status, address: String?, hostname: String?,
        containers: [AgentContainerReport], stoppedReason: String?, stopCode: String?, createdAt: Date,
        networkReadyAt: Date?, startedAt: Date?, stoppingAt: Date?, stoppedAt: Date?
    ) {
        self.taskID = taskID
        self.runtimeTaskID = runtimeTaskID
        self.status = status
        self.address = address
        self.hostname = hostname
        self.containers = containers
        self.stoppedReason = stoppedReason
        self.stopCode = stopCode
        self.createdAt = createdAt
        self.networkReadyAt = networkReadyAt
        self.startedAt = startedAt
        self.stoppingAt = stoppingAt
        self.stoppedAt = stoppedAt
    }

    /// Whether every container has stopped (the task may still be releasing its resources).
    public var allContainersStopped: Bool {
        containers.allSatisfy { $0.lastStatus == .stopped }
    }

    /// When the last container stopped, once all have (ECS's `executionStoppedAt`).
    public var executionStoppedAt: Date? {
        guard allContainersStopped else { return nil }
        return containers.compactMap(\.stoppedAt).max() ?? stoppedAt
    }

    /// The container named `name`.
    public func container(named name: String) -> AgentContainerReport? {
        containers.first { $0.name == name }
    }
}

/// A container port published on the host.
public struct AgentNetworkBinding: Sendable, Equatable, Codable {
    public var containerPort: Int
    public var hostPort: Int
    /// `tcp` or `udp`.
    public var transport: String

    public init(containerPort: Int, hostPort: Int, transport: String) {
        self.containerPort = containerPort
        self.hostPort = hostPort
        self.transport = transport
    }
}

/// One container of a task as its host knows it.
public struct AgentContainerReport: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Equatable, Codable {
        case pending = "PENDING"
        case running = "RUNNING"
        case stopped = "STOPPED"
    }

    public var name: String
    public var image: String
    /// The manifest digest of the image the container runs (ECS's `imageDigest`), once known.
    public var imageDigest: String?
    public var essential: Bool
    public var lastStatus: Status
    /// nil until the container exited (or when it never ran).
    public var exitCode: Int?
    /// ECS's wording, e.g. `OutOfMemoryError: Container killed due to memory usage`.
    public var reason: String?
    /// `UNKNOWN`, `HEALTHY` or `UNHEALTHY`.
    public var healthStatus: String
    public var startedAt: Date?
    public var stoppedAt: Date?
    /// The container's ports published on the host (bridge mode), in the order of its port
    /// mappings; empty in other modes.
    public var networkBindings: [AgentNetworkBinding] = []

    public init(
        name: String, image: String, imageDigest: String? = nil, essential: Bool, lastStatus: Status, exitCode: Int?,
        reason: String?, healthStatus: String, startedAt: Date?, stoppedAt: Date?
    ) {
        self.name = name
        self.image = image
        self.imageDigest = imageDigest
        self.essential = essential
        self.lastStatus = lastStatus
        self.exitCode = exitCode
        self.reason = reason
        self.healthStatus = healthStatus
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
    }
}
