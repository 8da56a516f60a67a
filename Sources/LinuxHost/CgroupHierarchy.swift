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
    public static func detect(mountinfo path: String = "/proc/self/mountinfo") throws(SystemError) -> CgroupHierarchy {
        let text = try FileSystem.read(path)
        var legacy: [String: String] = [:]
        var unifiedRoots: [String] = []
        for line in text.split(separator: "\n") {
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
        let v2Controllers = (try? FileSystem.read("/sys/fs/cgroup/cgroup.controllers")) ?? ""
        if unifiedRoots.contains("/sys/fs/cgroup") && v2Controllers.contains("memory") {
            return .unified(root: "/sys/fs/cgroup")
        }
        if legacy["memory"] != nil && legacy["cpu"] != nil {
            return .legacy(mounts: legacy)
        }
        if let root = unifiedRoots.first {
            return .unified(root: root)
        }
        throw SystemError(step: "find the cgroup hierarchy in \(path)", call: "mountinfo", errno: ENOENT)
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
