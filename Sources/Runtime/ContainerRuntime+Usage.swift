import LinuxHost

/// What a task uses right now, read from its cgroup.
public struct TaskUsage: Sendable, Equatable {
    /// CPU time used by all its containers since it started, in nanoseconds.
    public var cpuNanoseconds: Int64
    /// Memory in use (cgroup v1 `memory.usage_in_bytes`, v2 `memory.current`), in bytes.
    public var memoryBytes: Int64
}

extension ContainerRuntime {
    /// The task's CPU time and memory from its cgroup; nil for a task that has none (stopped,
    /// removed, or unknown).
    public func usage(of id: String) -> TaskUsage? {
        let cgroup = Cgroup(hierarchy: hierarchy, path: configuration.cgroupParent + "/" + id)
        guard let cpu = cgroup.cpuUsageNanoseconds(), let memory = cgroup.memoryUsageBytes() else { return nil }
        return TaskUsage(cpuNanoseconds: cpu, memoryBytes: memory)
    }
}
