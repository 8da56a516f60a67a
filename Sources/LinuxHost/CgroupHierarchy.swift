#if canImport(Glibc)
import Glibc
#endif

/// Where this host keeps its cgroups: the unified (v2) hierarchy, or v1 controller mounts.
///
/// Detected from `/proc/self/mountinfo`. On a hybrid host (v1 controllers beside a v2 mount
/// that holds no controllers we need) the v1 controllers are used, as runc and Docker do.
public enum CgroupHierarchy: Equatable, Sendable {
    /// cgroup v2: one tree at `root` (normally `/sys/fs/cgroup`).
    case unified(root: String)
    /// cgroup v1: a mount point per controller we use (`cpu`, `cpuacct`, `memory`, `pids`).
    case legacy(mounts: [String: String])

    /// The controllers Wharf sets limits with or reads statistics from.
    public static let controllers = ["cpu", "cpuacct", "memory", "pids"]

    /// Detects the hierarchy of this host.
    public static func detect() throws(SystemError) -> CgroupHierarchy {
        let mountinfo = try FileSystem.read("/proc/self/mountinfo")
        let controllers = (try? FileSystem.read("/sys/fs/cgroup/cgroup.controllers")) ?? ""
        guard let hierarchy = parse(mountinfo: mountinfo, unifiedRootControllers: controllers) else {
            throw SystemError(step: "find the cgroup hierarchy in /proc/self/mountinfo", call: "mountinfo", errno: ENOENT)
        }
        return hierarchy
    }

    /// Picks the hierarchy from `/proc/self/mountinfo` text and the controllers listed by
    /// `/sys/fs/cgroup/cgroup.controllers` (empty when that file does not exist).
    ///
    /// v2 is used when `/sys/fs/cgroup` itself is cgroup2 with the memory controller; else the
    /// v1 controller mounts when memory and cpu are there (a hybrid host); else any cgroup2 mount.
    public static func parse(mountinfo: String, unifiedRootControllers: String) -> CgroupHierarchy? {
        var legacy: [String: String] = [:]
        var unifiedRoots: [String] = []
        for line in mountinfo.split(separator: "\n") {
            // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), fields.count > dash + 3, fields.count > 4 else { continue }
            let mountPoint = String(fields[4])
            let fsType = fields[dash + 1]
            if fsType == "cgroup2" {
                unifiedRoots.append(mountPoint)
            } else if fsType == "cgroup" {
                for option in fields[dash + 3].split(separator: ",") where controllers.contains(String(option)) {
                    legacy[String(option)] = mountPoint
                }
            }
        }
        let rootControllers = unifiedRootControllers.split(whereSeparator: { $0 == " " || $0 == "\n" })
        if unifiedRoots.contains("/sys/fs/cgroup") && rootControllers.contains("memory") {
            return .unified(root: "/sys/fs/cgroup")
        }
        if legacy["memory"] != nil && legacy["cpu"] != nil {
            return .legacy(mounts: legacy)
        }
        return unifiedRoots.first.map { .unified(root: $0) }
    }

    /// The directories that make up cgroup `path` (relative, e.g. `wharf/TASK/web`): one on v2,
    /// one per mounted controller on v1.
    public func directories(of path: String) -> [String] {
        switch self {
        case .unified(let root):
            return [root + "/" + path]
        case .legacy(let mounts):
            var seen: [String] = []
            for controller in CgroupHierarchy.controllers {
                guard let mount = mounts[controller] else { continue }
                let directory = mount + "/" + path
                if !seen.contains(directory) { seen.append(directory) }
            }
            return seen
        }
    }

    /// The directory of `path` in the hierarchy that holds `controller`.
    public func directory(of path: String, controller: String) -> String? {
        switch self {
        case .unified(let root): return root + "/" + path
        case .legacy(let mounts): return mounts[controller].map { $0 + "/" + path }
        }
    }

    public var isUnified: Bool {
        if case .unified = self { return true }
        return false
    }
}
