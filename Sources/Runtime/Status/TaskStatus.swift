import Foundation

/// A task as the runtime sees it now, read from its task directory.
public struct TaskStatus: Sendable, Equatable, Codable {
    public var id: String
    public var taskDefinition: String?
    /// The spec's labels.
    public var labels: [String: String]
    /// PENDING, RUNNING, STOPPING or STOPPED.
    public var lastStatus: String
    /// RUNNING until a stop was asked for or the task began stopping, then STOPPED.
    public var desiredStatus: String
    public var networkMode: NetworkMode
    /// The task's IPv4 address (awsvpc).
    public var address: String?
    public var hostname: String?
    /// The MAC address of the task's `eth0` (awsvpc).
    public var macAddress: String?
    /// The container ports published on the host (bridge mode), for as long as the task has
    /// its network.
    public var portBindings: [PortBinding]
    public var containers: [ContainerStatus]
    public var stoppedReason: String?
    /// ECS stopCode: EssentialContainerExited, UserInitiated, TaskFailedToStart.
    public var stopCode: String?
    public var createdAt: Date
    public var networkReadyAt: Date?
    public var startedAt: Date?
    public var stoppingAt: Date?
    public var stoppedAt: Date?
    /// Pid of the task's supervisor while it runs.
    public var supervisorPID: Int32?
    /// Nanoseconds from the launch call until the first container was exec'd.
    public var launchToExecNanoseconds: Int64?

    /// The exit code of the first essential container (what `run-task --wait` returns).
    public var essentialExitCode: Int? {
        containers.first(where: { $0.essential && $0.exitCode != nil })?.exitCode
    }

    public func container(named name: String) -> ContainerStatus? {
        containers.first(where: { $0.name == name })
    }
}

/// One container of a task.
public struct ContainerStatus: Sendable, Equatable, Codable {
    public var name: String
    public var image: String
    /// The manifest digest (`sha256:…`) of the image the container runs, as the launch resolved
    /// `image`; nil for a task launched before digests were recorded.
    public var imageDigest: String?
    public var essential: Bool
    /// PENDING, RUNNING or STOPPED.
    public var lastStatus: String
    public var exitCode: Int?
    public var reason: String?
    /// UNKNOWN, HEALTHY or UNHEALTHY (UNKNOWN also when there is no health check).
    public var healthStatus: String
    public var pid: Int32?
    public var startedAt: Date?
    public var stoppedAt: Date?
}
