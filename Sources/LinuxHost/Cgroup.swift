#if canImport(Glibc)
import Glibc
#endif

/// One cgroup, named by its path relative to the hierarchy root (`wharf/TASK` or `wharf/TASK/web`).
///
/// Wharf makes a cgroup per task, named after the task (and, for a task of several
/// containers, one per container below it), so a restarted runtime finds exactly the cgroups a
/// task had and removes them.
public struct Cgroup: Equatable, Sendable {
    public var hierarchy: CgroupHierarchy
    public var path: String

    public init(hierarchy: CgroupHierarchy, path: String) {
        self.hierarchy = hierarchy
        self.path = path
    }

    /// Creates the cgroup (and missing parents); on v2 enables the controllers for its children
    /// on each ancestor, since v2 only hands controllers down when asked.
    public func create() throws(SystemError) {
        switch hierarchy {
        case .legacy:
            for directory in hierarchy.directories(of: path) {
                try FileSystem.makeDirectories(directory)
            }
        case .unified(let root):
            var current = root
            for component in path.split(separator: "/") {
                enableControllers(in: current)
                current += "/" + component
                if mkdir(current, 0o755) != 0 && errno != EEXIST {
                    throw SystemError.current(step: "create cgroup \(current)", call: "mkdir")
                }
            }
        }
    }

    private func enableControllers(in directory: String) {
        // Best effort per controller: a controller the parent lacks is simply not limited.
        for controller in ["cpu", "memory", "pids"] {
            try? FileSystem.writeInPlace(directory + "/cgroup.subtree_control", "+" + controller)
        }
    }

    /// Writes the limits into the cgroup's control files.
    public func apply(_ limits: CgroupLimits) throws(SystemError) {
        switch hierarchy {
        case .legacy:
            if let units = limits.cpuUnits {
                try write("cpu", "cpu.shares", "\(CgroupLimits.shares(forUnits: units))")
            }
            if let units = limits.cpuQuotaUnits {
                try write("cpu", "cpu.cfs_period_us", "\(CgroupLimits.cpuPeriodMicroseconds)")
                try write("cpu", "cpu.cfs_quota_us", "\(CgroupLimits.quotaMicroseconds(forUnits: units))")
            }
            if let bytes = limits.memoryLimitBytes {
                try write("memory", "memory.limit_in_bytes", "\(bytes)")
            }
            if let bytes = limits.memoryReservationBytes {
                try write("memory", "memory.soft_limit_in_bytes", "\(bytes)")
            }
            if let pids = limits.pidsLimit {
                try write("pids", "pids.max", "\(pids)")
            }
        case .unified:
            if let units = limits.cpuUnits {
                try write("cpu", "cpu.weight", "\(CgroupLimits.weight(forShares: CgroupLimits.shares(forUnits: units)))")
            }
            if let units = limits.cpuQuotaUnits {
                try write(
                    "cpu", "cpu.max",
                    "\(CgroupLimits.quotaMicroseconds(forUnits: units)) \(CgroupLimits.cpuPeriodMicroseconds)")
            }
            if let bytes = limits.memoryLimitBytes {
                try write("memory", "memory.max", "\(bytes)")
                // No swap beyond the limit, so an over-limit container is OOM-killed as on ECS.
                try? write("memory", "memory.swap.max", "0")
            }
            if let bytes = limits.memoryReservationBytes {
                try write("memory", "memory.low", "\(bytes)")
            }
            if let pids = limits.pidsLimit {
                try write("pids", "pids.max", "\(pids)")
            }
        }
    }

    private func write(_ controller: String, _ file: String, _ value: String) throws(SystemError) {
        guard let directory = hierarchy.directory(of: path, controller: controller) else { return }
        try FileSystem.writeInPlace(directory + "/" + file, value)
    }

    /// The `cgroup.procs` files a process writes `0` to in order to join this cgroup.
    public var procsFiles: [String] {
        hierarchy.directories(of: path).map { $0 + "/cgroup.procs" }
    }

    /// Pids of every process in the cgroup (and, on v1, in any of its controller directories).
    public func processes() -> [Int32] {
        var pids: [Int32] = []
        for file in procsFiles {
            guard let text = try? FileSystem.read(file) else { continue }
            for line in text.split(separator: "\n") {
                if let pid = Int32(line), !pids.contains(pid) { pids.append(pid) }
            }
        }
        return pids
    }

    /// How many times the kernel's OOM killer killed a process of this cgroup.
    public func oomKillCount() -> Int {
        switch hierarchy {
        case .legacy:
            guard let directory = hierarchy.directory(of: path, controller: "memory"),
                let text = try? FileSystem.read(directory + "/memory.oom_control")
            else { return 0 }
            return Self.counter(named: "oom_kill", in: text)
        case .unified(let root):
            guard let text = try? FileSystem.read(root + "/" + path + "/memory.events") else { return 0 }
            return Self.counter(named: "oom_kill", in: text)
        }
    }

    /// Current memory use in bytes.
    public func memoryUsageBytes() -> Int64? {
        let file = hierarchy.isUnified ? "memory.current" : "memory.usage_in_bytes"
        guard let directory = hierarchy.directory(of: path, controller: "memory"),
            let text = try? FileSystem.read(directory + "/" + file)
        else { return nil }
        return Int64(text.split(separator: "\n").first ?? "")
    }

    /// CPU time used in nanoseconds.
    public func cpuUsageNanoseconds() -> Int64? {
        switch hierarchy {
        case .legacy:
            guard let directory = hierarchy.directory(of: path, controller: "cpuacct"),
                let text = try? FileSystem.read(directory + "/cpuacct.usage")
            else { return nil }
            return Int64(text.split(separator: "\n").first ?? "")
        case .unified(let root):
            guard let text = try? FileSystem.read(root + "/" + path + "/cpu.stat") else { return nil }
            return Int64(Self.counter(named: "usage_usec", in: text)) * 1_000
        }
    }

    /// Sends `signal` to every process in the cgroup; returns how many were signalled.
    @discardableResult
    public func signalAll(_ signal: Int32) -> Int {
        let pids = processes()
        for pid in pids { kill(pid, signal) }
        return pids.count
    }

    /// Removes the cgroup directories (children first), SIGKILLing anything still inside and
    /// waiting briefly for the kernel to let go of them. A missing cgroup is not an error.
    public func remove(children: [String] = []) throws(SystemError) {
        for child in children {
            try Cgroup(hierarchy: hierarchy, path: path + "/" + child).remove()
        }
        for directory in hierarchy.directories(of: path).reversed() {
            var attempts = 0
            while rmdir(directory) != 0 {
                if errno == ENOENT { break }
                guard errno == EBUSY, attempts < 200 else {
                    throw SystemError.current(step: "remove cgroup \(directory)", call: "rmdir")
                }
                // Busy: processes are still exiting (or a child cgroup exists); kill and retry.
                if attempts == 0 { signalAll(SIGKILL) }
                for name in (try? FileSystem.listDirectory(directory)) ?? [] {
                    var info = stat()
                    if lstat(directory + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                        try Cgroup(hierarchy: hierarchy, path: path + "/" + name).remove()
                    }
                }
                attempts += 1
                usleep(5_000)
            }
        }
    }

    private static func counter(named name: String, in text: String) -> Int {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == name { return Int(parts[1]) ?? 0 }
        }
        return 0
    }
}
