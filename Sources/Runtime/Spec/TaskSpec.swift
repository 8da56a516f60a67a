/// A task as the runtime runs it: Linux terms, not ECS terms.
///
/// The control plane maps an ECS task definition (plus overrides) onto a `TaskSpec`; the runtime
/// validates it against the host and its image store, then launches it. Field names follow ECS
/// where the meaning is the same, so the mapping stays obvious.
public struct TaskSpec: Codable, Sendable, Equatable {
    /// The task definition family and revision this task came from, for display (`family:revision`).
    public var taskDefinition: String?
    /// How the task is networked; `awsvpc` gives it its own namespace, veth pair and IP.
    public var networkMode: NetworkMode
    /// Task-level CPU in ECS units (1024 = one CPU); a hard quota when set.
    public var cpu: Int?
    /// Task-level memory hard limit in MiB.
    public var memory: Int?
    /// Host name inside the task's containers (defaults to a name derived from the task id).
    public var hostname: String?
    /// 1 to 10 containers.
    public var containers: [ContainerSpec]
    /// Volumes the containers' mount points refer to.
    public var volumes: [VolumeSpec]
    /// Free-form metadata kept with the task and shown in its status, as Docker's labels (the
    /// control plane names the ECS task a runtime task runs, as the ECS agent labels its
    /// containers). nil: none (and in records written before labels existed).
    public var labels: [String: String]?

    public init(
        taskDefinition: String? = nil, networkMode: NetworkMode = .awsvpc, cpu: Int? = nil, memory: Int? = nil,
        hostname: String? = nil, containers: [ContainerSpec], volumes: [VolumeSpec] = [], labels: [String: String]? = nil
    ) {
        self.taskDefinition = taskDefinition
        self.networkMode = networkMode
        self.cpu = cpu
        self.memory = memory
        self.hostname = hostname
        self.containers = containers
        self.volumes = volumes
        self.labels = labels
    }
}

/// The network modes of an ECS task on Linux.
public enum NetworkMode: String, Codable, Sendable, Equatable, CaseIterable {
    /// Own network namespace, veth pair to the host bridge, own IP (ECS's `awsvpc`).
    case awsvpc
    /// The host's network namespace.
    case host
    /// Own network namespace with only loopback.
    case none
    /// As `awsvpc`, and each container port mapping is also published on the host: traffic to
    /// any address of the host on the mapping's host port (chosen from the dynamic range when
    /// the mapping names none) reaches the task (ECS's `bridge`).
    case bridge
}

/// A volume of a task: a host directory bind-mounted in, or a task-scoped empty directory shared
/// by the task's containers and removed with the task.
public struct VolumeSpec: Codable, Sendable, Equatable {
    public var name: String
    /// Host path for a bind mount; `nil` makes a task-scoped empty volume.
    public var hostSourcePath: String?

    public init(name: String, hostSourcePath: String? = nil) {
        self.name = name
        self.hostSourcePath = hostSourcePath
    }
}
