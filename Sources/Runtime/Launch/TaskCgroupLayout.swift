import LinuxHost

/// Which cgroups a task gets and which limits each carries.
///
/// A task has a cgroup of its own (`PARENT/ID`: task cpu as a quota, task memory, the pids
/// limit). Only a task of several containers gives each a cgroup below it
/// (`PARENT/ID/NAME`: container cpu as shares, container memory hard and soft limits), so that
/// a container's limits bound it alone. A task's one container runs in the task's cgroup,
/// which then carries the container's limits too: for one container the two levels bound the
/// same processes. The second cgroup would cost more than its mkdir and rmdir: the kernel
/// takes each removed memory cgroup offline by walking the LRU lists of every superblock on the
/// host while it holds `cgroup_mutex`, which every launch's cgroup creation and join wait for,
/// so at density each one slows every other task's launch.
struct TaskCgroupLayout {
    let spec: TaskSpec
    let pidsLimit: Int

    /// Whether containers get cgroups of their own below the task's.
    var containersHaveOwnCgroups: Bool { spec.containers.count > 1 }

    /// The task cgroup's limits, with the one container's merged in when it has no cgroup of
    /// its own: the smaller of the two hard memory limits, the container's reservation, and the
    /// container's cpu units as shares when the task sets none (as Docker gives a container's
    /// cgroup its cpu shares directly). A task of several containers without task cpu keeps the
    /// kernel's default weight at task level; its containers' units weigh them against each
    /// other inside it.
    var taskLimits: CgroupLimits {
        var limits = CgroupLimits(
            cpuUnits: spec.cpu, cpuQuotaUnits: spec.cpu, memoryLimitBytes: Self.bytes(spec.memory), pidsLimit: pidsLimit)
        guard !containersHaveOwnCgroups, let container = spec.containers.first else { return limits }
        let own = containerLimits(container)
        limits.cpuUnits = limits.cpuUnits ?? own.cpuUnits
        if let containerLimit = own.memoryLimitBytes {
            limits.memoryLimitBytes = min(limits.memoryLimitBytes ?? containerLimit, containerLimit)
        }
        limits.memoryReservationBytes = own.memoryReservationBytes
        return limits
    }

    /// The limits of `container`'s own cgroup (see `containersHaveOwnCgroups`).
    func containerLimits(_ container: ContainerSpec) -> CgroupLimits {
        CgroupLimits(
            cpuUnits: container.cpu > 0 ? container.cpu : nil, memoryLimitBytes: Self.bytes(container.memory),
            memoryReservationBytes: Self.bytes(container.memoryReservation))
    }

    private static func bytes(_ mebibytes: Int?) -> Int64? { mebibytes.map { Int64($0) << 20 } }
}
