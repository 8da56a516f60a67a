import Foundation
import LinuxHost
import ShimProtocol

/// Where the runtime keeps its state and how it names what it creates on the host.
///
/// Tests give each run its own directories, bridge and cgroup parent, so runs never see one
/// another's tasks and cleanup is exact.
public struct RuntimeConfiguration: Sendable {
    /// Durable state: images, the tasks' storage (logs, writable layers, volumes), address
    /// pools (default `/var/lib/wharf`).
    public var dataDirectory: String {
        didSet { defaultStateDirectory = Self.defaultStateDirectory(dataDirectory: dataDirectory) }
    }
    /// The tasks' state directories (records, plans, events, supervisor pids, the mount points
    /// of their roots; see `TaskLayout`). Default: the one the data directory was last used
    /// with (`StateDirectoryRecord`), else `/run/wharf/state` followed by the data directory's
    /// path (`/run/wharf/state/var/lib/wharf`), so that it lives on tmpfs, as runc's and
    /// containerd's state does, and no two data directories share it.
    public var stateDirectory: String {
        get { chosenStateDirectory ?? defaultStateDirectory }
        set { chosenStateDirectory = newValue }
    }
    /// Whether `stateDirectory` was set rather than left to its default.
    public var isStateDirectoryChosen: Bool { chosenStateDirectory != nil }
    private var chosenStateDirectory: String?
    /// The default, derived once per data directory: every task path (`layout(ofTask:)`, read
    /// on each launch and each status) goes through `stateDirectory`.
    private var defaultStateDirectory: String
    /// The host bridge task veths attach to (default `wharf0`).
    public var bridgeName: String
    /// The task subnet; `nil` picks one that collides with no host route and remembers it.
    public var subnet: IPv4Network?
    /// Parent cgroup of every task cgroup (default `wharf`).
    public var cgroupParent: String
    /// Prefix of host-side veth names; the rest is taken from the task id (default `wh`).
    public var vethPrefix: String
    /// Path of the per-task supervisor binary; `nil` looks beside the running executable.
    public var supervisorPath: String?
    /// Network namespaces kept ready for awsvpc launches (each with `lo` up and a veth pair on
    /// the bridge, waiting for its address): a launch takes one instead of creating both on
    /// its path. 0 turns the pool off. The pool fills after the first awsvpc launch.
    public var networkPoolSize: Int
    /// Supervisors kept running on standby for launches (see `SupervisorPool`): a launch hands
    /// its task to one instead of waiting for a new process to start. 0 turns the pool off. The
    /// pool fills after the first launch.
    public var supervisorPoolSize = 2
    /// pids.max for a task's cgroup.
    public var taskPidsLimit: Int
    /// Host ports given to bridge-mode port mappings that name none (ECS's dynamic host ports).
    public var dynamicHostPortRange: ClosedRange<UInt16> = HostPortPool.defaultDynamicRange
    /// Whether tasks reach networks beyond the host: the host forwards IPv4
    /// (`net.ipv4.ip_forward`) and masquerades what tasks send out of it, as Docker does for
    /// its bridge. Ports published on the host need forwarding too, for clients elsewhere.
    public var outboundNAT = true
    /// Whether the runtime turns on the host's cgroup2 option `favordynmods` when it starts
    /// (see `CgroupDynamicModifications`): container starts then never wait for the kernel's
    /// RCU grace period to join their cgroups.
    public var favorDynamicCgroupModifications = true
    /// Default log rotation: bytes per file, files kept.
    public var logMaxBytes: Int
    public var logMaxFiles: Int

    public init(
        dataDirectory: String = "/var/lib/wharf", bridgeName: String = "wharf0",
        subnet: IPv4Network? = nil, cgroupParent: String = "wharf", vethPrefix: String = "wh",
        supervisorPath: String? = nil, networkPoolSize: Int = 4, taskPidsLimit: Int = 4096, logMaxBytes: Int = 10 << 20, logMaxFiles: Int = 3
    ) {
        self.dataDirectory = dataDirectory
        defaultStateDirectory = Self.defaultStateDirectory(dataDirectory: dataDirectory)
        self.bridgeName = bridgeName
        self.subnet = subnet
        self.cgroupParent = cgroupParent
        self.vethPrefix = vethPrefix
        self.supervisorPath = supervisorPath
        self.networkPoolSize = networkPoolSize
        self.taskPidsLimit = taskPidsLimit
        self.logMaxBytes = logMaxBytes
        self.logMaxFiles = logMaxFiles
    }

    public var imagesDirectory: String { dataDirectory + "/images" }
    /// The tasks' state directories, one per task (`TaskLayout.directory`).
    public var tasksDirectory: String { stateDirectory + "/tasks" }
    /// The tasks' storage directories, one per task (`TaskLayout.storageDirectory`).
    public var taskStorageDirectory: String { dataDirectory + "/tasks" }
    /// Storage directories of removed tasks while they are being deleted.
    public var removedTasksDirectory: String { dataDirectory + "/removed-tasks" }
    /// State directories of removed tasks while they are being deleted.
    public var removedTaskStatesDirectory: String { stateDirectory + "/removed-tasks" }
    /// Where the task `id` keeps its files.
    public func layout(ofTask id: String) -> TaskLayout {
        TaskLayout(directory: tasksDirectory + "/" + id, storageDirectory: taskStorageDirectory + "/" + id)
    }

    /// The state directory of a runtime on `dataDirectory` unless one is chosen.
    public static func defaultStateDirectory(dataDirectory: String) -> String {
        stateRoot + normalized(absolute(dataDirectory))
    }

    /// `path`, relative to the working directory if it is relative, made absolute.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// `path` (absolute) without empty, `.` and `..` components, and without a trailing slash
    /// ("" for the root): lexically, as symlinks are not followed (nor read) here.
    static func normalized(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return components.map { "/" + $0 }.joined()
    }

    /// Where default state directories go.
    public static let stateRoot = "/run/wharf/state"
    public var addressPoolDirectory: String { dataDirectory + "/ipam/" + bridgeName }
    /// The pool of host ports published by bridge-mode tasks (see `HostPortPool`): one for the
    /// whole host, as its ports are, shared by every runtime on it whatever their data
    /// directories; under `/run`, as the NAT rules publishing the ports, kernel state, go with
    /// a reboot too. Its owners are `hostPortOwner(forTask:)`, so each runtime tells its own.
    public var hostPortPoolDirectory = "/run/wharf/host-ports"
    /// The nf_tables table (family `ip`) of this runtime's bridge: outbound masquerading and
    /// the ports its bridge-mode tasks publish.
    public var natTableName: String { "wharf_" + bridgeName }
    /// A bridge-mode task's chain in the bridge's table (its DNAT rules).
    public func natChainName(forTask taskID: String) -> String { Self.taskChainPrefix + taskID }
    /// The owner a task's host ports are held under in the host's pool: the bridge's table
    /// name, `_`, the task id (unique on the host).
    public func hostPortOwner(forTask taskID: String) -> String { natTableName + "_" + taskID }

    static let taskChainPrefix = "task_"

    /// The task id in a task chain's name (`task_` and 32 hex digits), nil for another chain.
    public func taskID(ofNATChain chain: String) -> String? {
        guard chain.hasPrefix(Self.taskChainPrefix) else { return nil }
        return Self.taskIDSuffix(chain, after: Self.taskChainPrefix.utf8.count)
    }

    /// The task id of a host port owner of this runtime (`hostPortOwner(forTask:)`), nil for
    /// another runtime's (another bridge's `wharf_NAME_1…` is never taken for one).
    public func taskID(ofHostPortOwner owner: String) -> String? {
        guard owner.hasPrefix(natTableName + "_") else { return nil }
        return Self.taskIDSuffix(owner, after: natTableName.utf8.count + 1)
    }

    private static func taskIDSuffix(_ text: String, after prefixLength: Int) -> String? {
        let suffix = text.utf8.dropFirst(prefixLength)
        guard suffix.count == 32, suffix.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        return String(suffix)
    }

    /// The supervisor binary: configured, or `wharf-shim` beside the running executable.
    public func resolvedSupervisorPath() -> String {
        if let supervisorPath { return supervisorPath }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let directory = (executable as NSString).deletingLastPathComponent
        return directory + "/wharf-shim"
    }
}
