import Foundation
import ImageStore
import LinuxHost
import Logging
import ShimProtocol

/// Runs ECS tasks as Linux containers on this host.
///
/// `launch` validates a `TaskSpec`, resolves its images, creates the task's network (awsvpc:
/// namespace, veth, address), cgroups and plan, and starts the task's supervisor, which runs the
/// containers from then on. Tasks outlive this object and its process: a new `ContainerRuntime`
/// on the same data directory finds them again (`tasks()`, `stop`, `wait` all work on them) and
/// `reconcile()` cleans up after supervisors that died.
public final class ContainerRuntime: @unchecked Sendable {
    public let configuration: RuntimeConfiguration
    public let images: ImageStore
    let hierarchy: CgroupHierarchy
    let network: TaskNetwork
    /// Supervisors on standby; nil when `supervisorPoolSize` is 0.
    let supervisors: ReadyPool<SupervisorSpawner.Spawned>?
    let records = TaskRecordCache()
    let watches = DirectoryWatchPool()
    let removedTasks: RemovedTaskDirectories
    /// The data directory's record of the state directory, locked while this runtime lives.
    let stateRecord: StateDirectoryRecord
    let reaper: SupervisorReaper
    /// The supervisor binary, resolved once (a readlink of /proc/self/exe) rather than per launch.
    let supervisorPath: String
    let logger: Logger

    public init(configuration: RuntimeConfiguration = RuntimeConfiguration(), logger: Logger = Logger(label: "wharf.runtime"))
        throws(RuntimeError)
    {
        var configuration = configuration
        // Relative directories are the working directory's, as for any command's path arguments.
        configuration.dataDirectory = RuntimeConfiguration.absolute(configuration.dataDirectory)
        if configuration.isStateDirectoryChosen {
            configuration.stateDirectory = RuntimeConfiguration.absolute(configuration.stateDirectory)
        }
        try configuration.validate()
        do {
            try FileSystem.makeDirectories(configuration.dataDirectory, mode: 0o755)
        } catch {
            throw .system(error)
        }
        let (record, resolved) = try StateDirectoryRecord.open(configuration)
        stateRecord = record
        configuration = resolved
        self.configuration = configuration
        self.logger = logger
        reaper = SupervisorReaper(logger: logger)
        do {
            if configuration.stateDirectory.hasPrefix(RuntimeConfiguration.stateRoot + "/") {
                Self.keepStateRootInMemory(logger: logger)
            }
            try FileSystem.makeDirectories(configuration.tasksDirectory, mode: 0o700)
            try FileSystem.makeDirectories(configuration.taskStorageDirectory, mode: 0o700)
            // Cleared where an earlier version set it (see setTopDirectoryFlag).
            FileSystem.setTopDirectoryFlag(configuration.taskStorageDirectory, on: false)
            hierarchy = try CgroupHierarchy.detect()
            removedTasks = try RemovedTaskDirectories(
                storageDirectory: configuration.removedTasksDirectory, stateDirectory: configuration.removedTaskStatesDirectory)
        } catch {
            throw .system(error)
        }
        do {
            images = try ImageStore(root: configuration.imagesDirectory)
        } catch {
            throw .system(SystemError(step: "open the image store at \(configuration.imagesDirectory): \(error)", call: "open", errno: 0))
        }
        network = TaskNetwork(configuration: configuration, onPoolFailure: { [logger] error in
            logger.warning("could not prepare a network namespace ahead", metadata: ["error": "\(error)"])
        }, onRoutingFailure: { [logger] error in
            logger.error(
                "tasks on the bridge cannot reach other networks, nor be reached through published ports from 127.0.0.1",
                metadata: ["error": "\(error)"])
        })
        let supervisorPath = configuration.resolvedSupervisorPath()
        self.supervisorPath = supervisorPath
        supervisors = configuration.supervisorPoolSize == 0 ? nil : SupervisorPool.make(
            capacity: configuration.supervisorPoolSize, binary: supervisorPath,
            onFailure: { [logger] error in
                logger.warning("could not start a supervisor ahead", metadata: ["error": "\(error)"])
            })
        if configuration.favorDynamicCgroupModifications { favorDynamicCgroupModifications() }
        removedTasks.purgeLeftovers()
        removeOrphanedStorage()
        reconcile()
    }

    /// Queues the deletion of task storage directories whose task has no state directory: what
    /// a reboot leaves (the state was on tmpfs). A launch makes the state directory before the
    /// storage, and a removal moves the storage first, so no task in progress, in this process
    /// or another, has storage without state.
    ///
    /// A storage directory holding a record (`spec.json`) is a task of a version that kept
    /// everything in one directory, whose supervisor may still run and write there: its state
    /// directory becomes a symbolic link to it, which every path of `TaskLayout` resolves
    /// through.
    private func removeOrphanedStorage() {
        for name in TaskID.entries(in: configuration.taskStorageDirectory) {
            let layout = configuration.layout(ofTask: name)
            guard !FileSystem.exists(layout.directory) else { continue }
            if FileSystem.exists(layout.storageDirectory + "/" + TaskLayout.recordName) {
                if symlink(layout.storageDirectory, layout.directory) != 0 && errno != EEXIST {
                    logger.warning("could not adopt a task of the one-directory layout", metadata: [
                        "task": "\(name)", "error": "\(SystemError.current(step: "link its state", call: "symlink"))"])
                }
                continue
            }
            do {
                try removedTasks.removeStorage(layout.storageDirectory, id: name)
            } catch {
                logger.warning("could not remove the storage of a task that is gone", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Mounts a tmpfs on the default state root where the host's `/run` is on disk (see
    /// `StateRoot`). A failure only costs speed and leaves state after a reboot: it is logged.
    private static func keepStateRootInMemory(logger: Logger) {
        let root = RuntimeConfiguration.stateRoot
        do {
            switch try StateRoot.keepInMemory(root) {
            case .inMemory:
                break
            case .mounted:
                logger.info("mounted a tmpfs for the tasks' state: this host's /run is on disk", metadata: ["path": "\(root)"])
            case .onDisk(let reason):
                logger.warning("the tasks' state stays on disk, where a reboot leaves it", metadata: ["path": "\(root)", "reason": "\(reason)"])
            }
        } catch {
            logger.warning("the tasks' state stays on disk, where a reboot leaves it", metadata: ["path": "\(root)", "error": "\(error)"])
        }
    }

    /// Turns on the host's cgroup2 `favordynmods` (a failure only costs speed: it is logged).
    private func favorDynamicCgroupModifications() {
        do {
            switch try CgroupDynamicModifications.favor() {
            case .favored(let mountPoint):
                logger.info("cgroup2 option favordynmods turned on: container starts join their cgroups without waiting for RCU",
                            metadata: ["mount": "\(mountPoint)"])
            case .alreadyFavored:
                break
            case .unsupported(let reason):
                logger.debug("cgroup2 option favordynmods not available", metadata: ["reason": "\(reason)"])
            }
        } catch {
            logger.warning("could not turn on the cgroup2 option favordynmods", metadata: ["error": "\(error)"])
        }
    }

    deinit {
        // Prepared namespaces and standby supervisors are this object's alone; a refill in
        // progress is waited for.
        supervisors?.drain()
        network.drainPool()
    }

    // MARK: - Launch

    /// Launches a task and returns once its supervisor runs (containers start right after).
    /// On any failure everything created for the task is removed again.
    @discardableResult
    public func launch(_ spec: TaskSpec) throws(RuntimeError) -> TaskStatus {
        let startedAt = Clock.wallNanoseconds()
        // Refilled once this launch is done, whichever way it went: spawning now would take CPU
        // from this launch's own supervisor.
        defer { supervisors?.refill() }
        try spec.validate()
        let planner = LaunchPlanner(images: images, configuration: configuration)
        let resolvedImages = try planner.resolveImages(spec)

        // A prepared network comes with the id of the task it was made for (its host end is
        // named after it already); the attachment owns it from here, so a failure destroys it.
        let prepared = network.takePreparedNetwork(for: spec.networkMode)
        let id = prepared?.taskID ?? TaskID.new()
        let layout = configuration.layout(ofTask: id)
        var record = TaskRecord(id: id, spec: spec, launchStartedAt: startedAt)
        record.imageDigests = resolvedImages.map(\.record.manifestDigest.description)
        let cgroupPath = configuration.cgroupParent + "/" + id
        let cgroupLayout = TaskCgroupLayout(spec: spec, pidsLimit: configuration.taskPidsLimit)
        var attachment = TaskNetwork.Attachment()
        attachment.namespaceFD = prepared?.namespaceFD
        var plan = SupervisorPlan(
            taskID: id, hostname: nil, cgroupPath: cgroupPath, containersHaveOwnCgroups: cgroupLayout.containersHaveOwnCgroups,
            cgroupHierarchy: hierarchy, resources: TaskResources(), containers: [])
        var supervisor: SupervisorSpawner.Spawned?
        do {
            // Only the task's state directory here (on tmpfs, microseconds): its storage is made
            // on the worker thread below (`makeContainerDirectories`), as a mkdir on disk is a tenth
            // of a millisecond or more and everything else waits for the supervisor this thread
            // spawns next.
            try FileSystem.makeDirectories(layout.directory, mode: 0o700)
            // Written before anything is created on the host: a reconcile in another process sees
            // a launch in progress (not an abandoned directory), and a crash from here on leaves
            // a record naming what to clean up. It is written again once the address is known.
            try writeRecord(record, layout: layout)
            // The supervisor (one on standby, else a new one) gets its task now and waits for its
            // start message, so its start-up and the containers' preparation overlap the
            // cgroups and the network below instead of following them.
            let spawned = try takeOrSpawnSupervisor(for: layout)
            supervisor = spawned
            plan.containers = try planner.containerPlans(for: spec, images: resolvedImages, layout: layout)
            // The cgroups, and the task's directories (the containers' mount points, the task's
            // storage: writable layers, task-scoped volumes, logs), are made on a worker thread
            // while this one attaches the network (see `BackgroundStep`); both are done before
            // anything goes on. What was attached goes into the plan whether or not attaching
            // finished, and the plan names the cgroups from the start, so a rollback removes
            // exactly what exists (the directories go with the task's two directories). Before the cgroups, the
            // worker hands the supervisor the plan as it is without the network to prepare the
            // containers (`SupervisorStart.prepareMessage`; a prepared container joins its
            // cgroups at its start), so that overlaps the cgroups and the network.
            let cgroupPlan = plan
            let cgroups = BackgroundStep.start { () throws(SystemError) in
                try Self.makeContainerDirectories(for: spec, layout: layout)
                spawned.prepare(plan: cgroupPlan.encoded)
                // The supervisor opens the containers' logs there after its start message.
                try FileSystem.makeDirectories(layout.logs, mode: 0o700)
                try self.createCgroups(for: cgroupLayout, plan: cgroupPlan)
            }
            let attached = Result { () throws(SystemError) in
                try network.attach(
                    taskID: id, mode: spec.networkMode, publications: Self.publications(of: spec), prepared: prepared,
                    attachment: &attachment)
            }
            // The network's own readiness, not the cgroups' (waited for just below).
            let networkReadyAt = Clock.wallNanoseconds()
            plan.resources = resources(from: attachment)
            try cgroups.wait().get()
            try attached.get()
            let hostname = spec.hostname ?? Self.hostname(address: attachment.address, taskID: id)
            plan.hostname = spec.networkMode == .host ? nil : hostname
            record.address = attachment.address?.description
            record.macAddress = attachment.macAddress
            record.subnet = attachment.subnet?.description
            record.portBindings = attachment.portBindings.isEmpty ? nil : attachment.portBindings
            record.hostname = hostname
            record.networkReadyAt = networkReadyAt
            try FileSystem.writeAtomically(layout.plan, plan.encoded)
            try writeRecord(record, layout: layout)
            try recordSupervisor(spawned.pid, layout: layout)
            // From here the supervisor owns the task. The namespace is its now; this process's
            // reference goes either way (a failed send abandons and reaps the supervisor itself,
            // so the rollback has none to abandon).
            supervisor = nil
            defer {
                if let namespaceFD = attachment.namespaceFD { close(namespaceFD) }
                attachment.namespaceFD = nil
            }
            try spawned.start(networkNamespaceFD: attachment.namespaceFD)
            reaper.watch(spawned.pid, taskID: id)
            records.store(record)
        } catch let error as SystemError {
            rollBack(plan: plan, layout: layout, supervisor: supervisor, networkNamespaceFD: attachment.namespaceFD)
            throw .launchFailed(taskID: id, underlying: error)
        } catch let error as RuntimeError {
            rollBack(plan: plan, layout: layout, supervisor: supervisor, networkNamespaceFD: attachment.namespaceFD)
            throw error
        } catch {
            rollBack(plan: plan, layout: layout, supervisor: supervisor, networkNamespaceFD: attachment.namespaceFD)
            throw .record(taskID: id, message: "\(error)")
        }
        logger.debug("launched task", metadata: ["task": "\(id)", "address": "\(record.address ?? "-")"])
        return TaskStatusReader.read(record: record, events: [], supervisor: nil)
    }

    /// The task's supervisor: one on standby given the task, else one spawned for it.
    private func takeOrSpawnSupervisor(for layout: TaskLayout) throws(SystemError) -> SupervisorSpawner.Spawned {
        // Ones that died on standby are reaped and passed over.
        while let standby = supervisors?.take() {
            if standby.reapIfExited() { continue }
            do {
                try standby.adopt(layout)
                return standby
            } catch {
                // It died just now (and is reaped): a new one does the same.
                logger.warning("a standby supervisor could not take its task", metadata: ["error": "\(error)"])
                break
            }
        }
        return try SupervisorSpawner.spawn(binary: supervisorPath, layout: layout)
    }

    private func resources(from attachment: TaskNetwork.Attachment) -> TaskResources {
        TaskResources(
            vethName: attachment.vethName,
            networkNamespaceDescriptor: attachment.namespaceFD == nil ? nil : TaskResources.inheritedNetworkNamespaceDescriptor,
            addressPoolDirectory: attachment.address == nil ? nil : configuration.addressPoolDirectory,
            address: attachment.address?.description, publishedPorts: attachment.publishedPorts)
    }

    /// The port mappings a bridge-mode task publishes on the host: all of them.
    private static func publications(of spec: TaskSpec) -> [TaskNetwork.Publication] {
        guard spec.networkMode == .bridge else { return [] }
        return spec.containers.flatMap { container in
            container.portMappings.map { TaskNetwork.Publication(containerName: container.name, mapping: $0) }
        }
    }

    /// The task's cgroup and, when the plan gives them their own, its containers' (the plan
    /// names them; `layout` gives the limits).
    private func createCgroups(for layout: TaskCgroupLayout, plan: SupervisorPlan) throws(SystemError) {
        let task = Cgroup(hierarchy: hierarchy, path: plan.cgroupPath)
        try task.create()
        try task.apply(layout.taskLimits)
        guard plan.containersHaveOwnCgroups else { return }
        for container in layout.spec.containers {
            let cgroup = Cgroup(hierarchy: hierarchy, path: plan.cgroupPath(ofContainer: container.name))
            try cgroup.create()
            try cgroup.apply(layout.containerLimits(container))
        }
    }

    /// What the containers' preparation needs, made here, off the launch's critical path: the
    /// mount points of their roots (state), and in the task's storage, made here too, their
    /// writable layers and overlay work directories and the task-scoped volumes. Each parent is
    /// made before its children, so each directory is one mkdir.
    private static func makeContainerDirectories(for spec: TaskSpec, layout: TaskLayout) throws(SystemError) {
        try FileSystem.makeDirectories(layout.mountPoints, mode: 0o700)
        try FileSystem.makeDirectories(layout.storageDirectory, mode: 0o700)
        try FileSystem.makeDirectories(layout.containers, mode: 0o700)
        for container in spec.containers {
            try FileSystem.makeDirectories(layout.rootfs(of: container.name))
            try FileSystem.makeDirectories(layout.containerDirectory(container.name))
            try FileSystem.makeDirectories(layout.upperDirectory(of: container.name))
            try FileSystem.makeDirectories(layout.workDirectory(of: container.name))
        }
        for volume in spec.volumes where volume.hostSourcePath == nil {
            try FileSystem.makeDirectories(layout.volume(volume.name), mode: 0o755)
        }
    }

    /// Makes sure `supervisor.pid` names the supervisor before it is given the task, so every
    /// later call (in this process or another) finds it there. The supervisor writes that file
    /// itself once it has prepared the containers, normally before this, so this is one
    /// `stat`; the same identity is written here if it has not got that far yet. One that is gone
    /// already fails the launch, which then abandons and reaps it like any other failed step.
    private func recordSupervisor(_ pid: pid_t, layout: TaskLayout) throws(SystemError) {
        guard !FileSystem.exists(layout.supervisorPID) else { return }
        guard let identity = ProcessIdentity.of(pid: pid), identity.isAlive else {
            throw SystemError(
                step: "start the supervisor of \(layout.directory) (it exited before its start message)",
                call: "posix_spawn", errno: ESRCH)
        }
        try FileSystem.writeAtomically(layout.supervisorPID, identity.description + "\n")
    }

    /// Undoes a failed launch: the supervisor (if it was spawned and not started yet) is told to
    /// exit and reaped, so it touches nothing more, then everything created for the task goes.
    private func rollBack(
        plan: SupervisorPlan, layout: TaskLayout, supervisor: SupervisorSpawner.Spawned?, networkNamespaceFD: Int32?
    ) {
        supervisor?.abandon()
        for failure in TaskTeardown(plan: plan, networkNamespaceFD: networkNamespaceFD).run() {
            logger.warning("rollback step failed", metadata: ["error": "\(failure)"])
        }
        try? FileSystem.removeTree(layout.storageDirectory)
        try? FileSystem.removeTree(layout.directory)
    }

    private func writeRecord(_ record: TaskRecord, layout: TaskLayout) throws(SystemError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(record) else {
            throw SystemError(step: "encode the record of task \(record.id)", call: "JSONEncoder", errno: EINVAL)
        }
        try FileSystem.writeAtomically(layout.spec, String(decoding: data, as: UTF8.self))
    }

    /// ECS-style host name for awsvpc tasks (`ip-10-213-0-5`), else one from the task id.
    static func hostname(address: IPv4Address?, taskID: String) -> String {
        if let address { return "ip-" + String(address.description.map { $0 == "." ? "-" : $0 }) }
        return String(taskID.prefix(12))
    }

    // MARK: - Reading

    func layout(of id: String) -> TaskLayout { configuration.layout(ofTask: id) }

    func readRecord(_ id: String) -> TaskRecord? {
        // A cached record outlives a removal by another process; the directory tells.
        guard FileSystem.exists(layout(of: id).directory) else {
            records.forget(id)
            return nil
        }
        return records.record(of: id) {
            guard let data = FileManager.default.contents(atPath: layout(of: id).spec) else { return nil }
            return try? JSONDecoder().decode(TaskRecord.self, from: data)
        }
    }

    func readEvents(_ id: String) -> [TaskEvent] {
        guard let text = try? FileSystem.readIfPresent(layout(of: id).events) else { return [] }
        return TaskEvent.parseAll(text)
    }

    func supervisorIdentity(_ id: String) -> ProcessIdentity? {
        (try? FileSystem.readIfPresent(layout(of: id).supervisorPID)).flatMap { $0 }.flatMap(ProcessIdentity.init(parsing:))
    }

    /// Every task id with a task directory.
    public func taskIDs() -> [String] {
        TaskID.entries(in: configuration.tasksDirectory).sorted()
    }

    /// The full id of the task whose id is or starts with `prefix`.
    public func resolveTaskID(_ prefix: String) throws(RuntimeError) -> String {
        let matches = taskIDs().filter { $0.hasPrefix(prefix.lowercased()) }
        guard !prefix.isEmpty, let first = matches.first else { throw .taskNotFound(prefix) }
        guard matches.count == 1 else { throw .ambiguousTask(prefix) }
        return first
    }

    /// The task's current status.
    public func status(of id: String) throws(RuntimeError) -> TaskStatus {
        guard let record = readRecord(id) else { throw .taskNotFound(id) }
        return TaskStatusReader.read(record: record, events: readEvents(id), supervisor: supervisorIdentity(id))
    }

    /// Every task this runtime knows, oldest first.
    public func tasks() -> [TaskStatus] {
        taskIDs().compactMap { try? status(of: $0) }.sorted { $0.createdAt < $1.createdAt }
    }

    /// The log file of a container (the live one; rotated files are `PATH.1`, `PATH.2`, ...).
    public func logPath(task id: String, container: String) throws(RuntimeError) -> String {
        guard let record = readRecord(id) else { throw .taskNotFound(id) }
        guard record.spec.containers.contains(where: { $0.name == container }) else {
            throw .containerNotFound(taskID: id, container: container, known: record.spec.containers.map(\.name))
        }
        return layout(of: id).log(of: container)
    }

    // MARK: - Stopping

    /// Asks the task to stop: SIGTERM to its containers, SIGKILL after their stop timeout.
    /// Returns at once; `wait` follows the task to STOPPED.
    public func stop(_ id: String, reason: String = "Task stopped by user", code: String = "UserInitiated")
        throws(RuntimeError)
    {
        let current = try status(of: id)
        guard current.lastStatus != "STOPPED" else { return }
        let layout = layout(of: id)
        var request = Record("stop")
        request.add("reason", reason)
        request.add("code", code)
        do {
            try FileSystem.writeAtomically(layout.stopRequest, request.encoded + "\n")
        } catch {
            throw .system(error)
        }
        if let supervisor = supervisorIdentity(id), supervisor.isAlive {
            kill(supervisor.pid, SIGTERM)
        } else {
            reconcile(taskID: id, reason: reason)
        }
    }

    /// Waits until `condition` holds for the task's status, or `timeout` seconds pass.
    @discardableResult
    public func wait(
        _ id: String, timeout: Double, description: String = "the task to stop",
        until condition: (TaskStatus) -> Bool = { $0.lastStatus == "STOPPED" }
    ) throws(RuntimeError) -> TaskStatus {
        let deadline = Date().addingTimeInterval(timeout)
        // Taken only when the state is not reached yet, from the pool (closing an inotify
        // instance costs a noticeable pause); released on return, it goes back there.
        var watch: DirectoryWatch?
        // A supervisor that dies records nothing, so its death shows as a wait without any
        // change: liveness is checked first and after such a wait, not on every event.
        var checkSupervisor = true
        while true {
            let current = try status(of: id)
            if condition(current) { return current }
            if checkSupervisor, current.lastStatus != "STOPPED", let supervisor = supervisorIdentity(id), !supervisor.isAlive {
                // The supervisor is gone without recording the end: clean up for it.
                reconcile(taskID: id, reason: "Task supervisor exited unexpectedly")
                continue
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw .timedOut(taskID: id, waitingFor: description) }
            guard let active = watch else {
                // Read the status once more before sleeping: a change between the read above
                // and the watch's start would otherwise only be seen at the next timeout.
                watch = watches.watch(layout(of: id).directory)
                continue
            }
            checkSupervisor = !active.wait(milliseconds: Int32(min(remaining, Self.waitPollSeconds) * 1000))
        }
    }

    /// Longest sleep of `wait` between two looks at the task when nothing changes.
    static let waitPollSeconds = 0.25

    /// Removes a stopped task's directories (its record; its storage: logs, container writable
    /// layers and task-scoped volumes). The task is gone when this returns; its storage is
    /// deleted in the background (a process about to exit calls `finishRemovals` first).
    public func remove(_ id: String) throws(RuntimeError) {
        let current = try status(of: id)
        guard current.lastStatus == "STOPPED" else { throw .taskNotStopped(id) }
        records.forget(id)
        do {
            // The storage first: a task whose state directory is left is still listed and can
            // be removed again, while storage left without its state is only found by the sweep
            // at start-up (`removeOrphanedStorage`).
            try removedTasks.remove(layout(of: id), id: id)
        } catch {
            throw .system(error)
        }
    }

    /// Returns once the files of every task removed so far (and of tasks an earlier process
    /// removed but did not finish deleting) are deleted. A short-lived process, such as
    /// `wharf rm`, calls it before exiting: otherwise exiting abandons the deletions, which
    /// then wait for the next runtime to start.
    public func finishRemovals() {
        removedTasks.drain()
    }
}
