import CWharfLaunch
import LinuxHost
import ShimProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Turns a `ContainerPlan` into a call of the C launch path, and runs commands inside a
/// running container (health checks).
struct ContainerLauncher {
    let plan: SupervisorPlan
    let layout: TaskLayout

    /// The container's cgroup: its own below the task's, or the task's (see
    /// `SupervisorPlan.containersHaveOwnCgroups`).
    func cgroup(of container: ContainerPlan) -> Cgroup {
        Cgroup(hierarchy: plan.cgroupHierarchy, path: plan.cgroupPath(ofContainer: container.name))
    }

    /// Starts `container` with its stdout and stderr on `outputFD`; returns its pid once exec'd.
    func launch(_ container: ContainerPlan, outputFD: Int32) throws(SystemError) -> Int32 {
        let arena = CStringArena()
        var spec = launchSpec(of: container, arena: arena)
        let procs = cgroupProcsFiles(of: container, arena: arena)
        spec.cgroup_procs = procs.files
        spec.n_cgroup_procs = procs.count
        spec.netns_fd = plan.resources.networkNamespaceDescriptor ?? -1
        spec.hostname = arena.optionalString(plan.hostname)
        spec.stdout_fd = outputFD
        spec.stderr_fd = outputFD
        var message = [CChar](repeating: 0, count: 512)
        var code: Int32 = 0
        let pid = message.withUnsafeMutableBufferPointer { buffer in
            wharf_launch(&spec, buffer.baseAddress, buffer.count, &code)
        }
        guard pid > 0 else { throw Self.startError(container, message, code) }
        return pid
    }

    /// Prepares `container` ahead of the start message (see `PreparedContainer`): everything up
    /// to its network namespace, host name, /sys and output.
    func prepare(_ container: ContainerPlan) throws(SystemError) -> PreparedContainer {
        let arena = CStringArena()
        var spec = launchSpec(of: container, arena: arena)
        var prepared = wharf_prepared()
        var message = [CChar](repeating: 0, count: 512)
        var code: Int32 = 0
        let status = message.withUnsafeMutableBufferPointer { buffer in
            wharf_prepare(&spec, &prepared, buffer.baseAddress, buffer.count, &code)
        }
        guard status == 0 else {
            throw SystemError(step: "prepare container \(container.name): \(cText(message))", call: "wharf_prepare", errno: code)
        }
        return PreparedContainer(handle: prepared)
    }

    /// Starts a container `prepare` made (with this launcher's plan: the task's network namespace
    /// and host name) with its stdout and stderr on `outputFD`; returns its pid once exec'd.
    func start(_ prepared: PreparedContainer, _ container: ContainerPlan, outputFD: Int32) throws(SystemError) -> Int32 {
        let arena = CStringArena()
        let hostname = arena.optionalString(plan.hostname)
        let procs = cgroupProcsFiles(of: container, arena: arena)
        var message = [CChar](repeating: 0, count: 512)
        var code: Int32 = 0
        let pid = message.withUnsafeMutableBufferPointer { buffer in
            wharf_start_prepared(
                &prepared.handle, plan.resources.networkNamespaceDescriptor ?? -1, hostname, outputFD, outputFD,
                procs.files, procs.count, buffer.baseAddress, buffer.count, &code)
        }
        guard pid > 0 else { throw Self.startError(container, message, code, call: "wharf_start_prepared") }
        return pid
    }

    private static func startError(
        _ container: ContainerPlan, _ message: [CChar], _ code: Int32, call: String = "wharf_launch"
    ) -> SystemError {
        SystemError(step: "start container \(container.name): \(cText(message))", call: call, errno: code)
    }

    /// The C launch spec of `container` without the parts a prepared container gets at its start
    /// (cgroups, network namespace, host name, output), its strings owned by `arena`.
    private func launchSpec(of container: ContainerPlan, arena: CStringArena) -> wharf_launch_spec {
        let upper = layout.upperDirectory(of: container.name)
        let work = layout.workDirectory(of: container.name)
        let rootfs = layout.rootfs(of: container.name)
        // The runtime made the overlay directories during the launch, off this path
        // (`ContainerRuntime.makeContainerDirectories`); a missing one fails the overlay mount (ENOENT).
        let mounts = arena.buffer(of: wharf_mount.self, count: container.mounts.count)
        for (index, mount) in container.mounts.enumerated() {
            mounts[index] = wharf_mount(
                source: arena.string(mount.source), target: arena.string(mount.target), fstype: nil,
                flags: mount.readOnly ? UInt(MS_RDONLY) : 0, data: nil)
        }
        let groups = arena.buffer(of: UInt32.self, count: container.supplementaryGroups.count)
        for (index, group) in container.supplementaryGroups.enumerated() { groups[index] = group }
        let limits = arena.buffer(of: wharf_rlimit.self, count: container.resourceLimits.count)
        for (index, limit) in container.resourceLimits.enumerated() {
            limits[index] = wharf_rlimit(resource: limit.resource, soft: limit.soft, hard: limit.hard)
        }

        var spec = wharf_launch_spec()
        spec.netns_fd = -1
        spec.rootfs = arena.string(rootfs)
        spec.overlay_lower = arena.string(container.layerDirectories.joined(separator: ":"))
        spec.overlay_upper = arena.string(upper)
        spec.overlay_work = arena.string(work)
        spec.readonly_rootfs = container.readonlyRootFilesystem ? 1 : 0
        spec.mounts = UnsafePointer(mounts)
        spec.n_mounts = container.mounts.count
        spec.argv = arena.stringArray(container.arguments)
        spec.envp = arena.stringArray(container.environment)
        spec.cwd = arena.string(container.workingDirectory)
        spec.uid = container.uid
        spec.gid = container.gid
        spec.groups = UnsafePointer(groups)
        spec.n_groups = container.supplementaryGroups.count
        spec.capabilities = container.capabilities
        spec.rlimits = UnsafePointer(limits)
        spec.n_rlimits = container.resourceLimits.count
        spec.no_new_privs = container.noNewPrivileges ? 1 : 0
        spec.init_process = container.initProcess ? 1 : 0
        spec.stdout_fd = -1
        spec.stderr_fd = -1
        return spec
    }

    /// The cgroup.procs files of the container's cgroup as a C array owned by `arena`.
    private func cgroupProcsFiles(
        of container: ContainerPlan, arena: CStringArena
    ) -> (files: UnsafePointer<UnsafePointer<CChar>?>, count: Int) {
        let files = cgroup(of: container).procsFiles
        let array = arena.buffer(of: UnsafePointer<CChar>?.self, count: files.count)
        for (index, file) in files.enumerated() { array[index] = arena.string(file) }
        return (UnsafePointer(array), files.count)
    }

    /// Starts a health check command inside the running container whose init is `pid`.
    func execute(_ arguments: [String], in container: ContainerPlan, pid: Int32) throws(SystemError) -> Int32 {
        let arena = CStringArena()
        let procs = cgroupProcsFiles(of: container, arena: arena)
        var message = [CChar](repeating: 0, count: 512)
        var code: Int32 = 0
        let checkPID = message.withUnsafeMutableBufferPointer { buffer in
            wharf_exec_in(
                pid, arena.stringArray(arguments), arena.stringArray(container.environment),
                arena.string(container.workingDirectory),
                container.uid, container.gid, procs.files, procs.count, -1, -1,
                buffer.baseAddress, buffer.count, &code)
        }
        guard checkPID > 0 else {
            let text = cText(message)
            throw SystemError(step: "health check in \(container.name): \(text)", call: "wharf_exec_in", errno: code)
        }
        return checkPID
    }
}

/// The text of a NUL-terminated C buffer.
func cText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
