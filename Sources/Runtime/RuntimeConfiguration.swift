import Foundation
import LinuxHost

/// Where the runtime keeps its state and how it names what it creates on the host.
///
/// Tests give each run its own directories, bridge and cgroup parent, so runs never see one
/// another's tasks and cleanup is exact.
public struct RuntimeConfiguration: Sendable {
    /// Durable state: images, task directories, address pools (default `/var/lib/wharf`).
    public var dataDirectory: String
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
    /// pids.max for a task's cgroup.
    public var taskPidsLimit: Int
    /// Default log rotation: bytes per file, files kept.
    public var logMaxBytes: Int
    public var logMaxFiles: Int

    public init(
        dataDirectory: String = "/var/lib/wharf", bridgeName: String = "wharf0",
        subnet: IPv4Network? = nil, cgroupParent: String = "wharf", vethPrefix: String = "wh",
        supervisorPath: String? = nil, networkPoolSize: Int = 4, taskPidsLimit: Int = 4096, logMaxBytes: Int = 10 << 20, logMaxFiles: Int = 3
    ) {
        self.dataDirectory = dataDirectory
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
    public var tasksDirectory: String { dataDirectory + "/tasks" }
    /// Directories of removed tasks while they are being deleted.
    public var removedTasksDirectory: String { dataDirectory + "/removed-tasks" }
    public var addressPoolDirectory: String { dataDirectory + "/ipam/" + bridgeName }

    /// The supervisor binary: configured, or `wharf-shim` beside the running executable.
    public func resolvedSupervisorPath() -> String {
        if let supervisorPath { return supervisorPath }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let directory = (executable as NSString).deletingLastPathComponent
        return directory + "/wharf-shim"
    }
}
