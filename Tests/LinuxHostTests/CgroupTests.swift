import LinuxHost
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Cgroup hierarchy detection (v1, hybrid, v2), ECS-unit conversions, and a real cgroup on this
/// host created, limited and removed.
final class CgroupTests: XCTestCase {
    static let hybridMountinfo = """
        25 30 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        33 25 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec - tmpfs tmpfs ro,mode=755
        34 33 0:29 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw
        36 33 0:31 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,cpu,cpuacct
        37 33 0:32 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,memory
        38 33 0:33 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,pids
        """

    static let unifiedMountinfo = """
        25 30 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        33 25 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
        """

    func testHybridHostUsesV1ControllersEvenWithComountedCPU() throws {
        let hierarchy = try XCTUnwrap(CgroupHierarchy.parse(mountinfo: Self.hybridMountinfo, unifiedRootControllers: ""))
        XCTAssertEqual(
            hierarchy,
            .legacy(mounts: [
                "cpu": "/sys/fs/cgroup/cpu,cpuacct", "cpuacct": "/sys/fs/cgroup/cpu,cpuacct",
                "memory": "/sys/fs/cgroup/memory", "pids": "/sys/fs/cgroup/pids",
            ]))
        // cpu and cpuacct share one mount: the cgroup has one directory there, not two.
        XCTAssertEqual(
            hierarchy.directories(of: "wharf/t"),
            ["/sys/fs/cgroup/cpu,cpuacct/wharf/t", "/sys/fs/cgroup/memory/wharf/t", "/sys/fs/cgroup/pids/wharf/t"])
        XCTAssertEqual(
            Cgroup(hierarchy: hierarchy, path: "wharf/t").procsFiles.first, "/sys/fs/cgroup/cpu,cpuacct/wharf/t/cgroup.procs")
    }

    func testUnifiedHostUsesV2() throws {
        let hierarchy = try XCTUnwrap(
            CgroupHierarchy.parse(mountinfo: Self.unifiedMountinfo, unifiedRootControllers: "cpuset cpu io memory pids\n"))
        XCTAssertEqual(hierarchy, .unified(root: "/sys/fs/cgroup"))
        XCTAssertEqual(hierarchy.directories(of: "wharf/t"), ["/sys/fs/cgroup/wharf/t"])
        XCTAssertTrue(hierarchy.isUnified)
    }

    func testNoCgroupsIsNil() {
        XCTAssertNil(CgroupHierarchy.parse(mountinfo: "25 30 0:21 / /sys rw - sysfs sysfs rw", unifiedRootControllers: ""))
    }

    func testECSUnitConversions() {
        // ECS cpu units pass through as shares (Docker), clamped to the kernel's 2...262144.
        XCTAssertEqual(CgroupLimits.shares(forUnits: 0), 2)
        XCTAssertEqual(CgroupLimits.shares(forUnits: 512), 512)
        XCTAssertEqual(CgroupLimits.shares(forUnits: 1_000_000), 262_144)
        // v2 weight: the runc/systemd mapping, 2 -> 1, 1024 -> 39, 262144 -> 10000.
        XCTAssertEqual(CgroupLimits.weight(forShares: 2), 1)
        XCTAssertEqual(CgroupLimits.weight(forShares: 1024), 39)
        XCTAssertEqual(CgroupLimits.weight(forShares: 262_144), 10_000)
        // Task cpu 256 = a quarter CPU = 25 ms per 100 ms period; 1024 = one CPU.
        XCTAssertEqual(CgroupLimits.quotaMicroseconds(forUnits: 256), 25_000)
        XCTAssertEqual(CgroupLimits.quotaMicroseconds(forUnits: 1024), 100_000)
        XCTAssertEqual(CgroupLimits.quotaMicroseconds(forUnits: 1), 1_000, "the kernel's minimum quota")
    }

    /// Creates a real cgroup on this host, applies limits, joins it, and removes it.
    func testCreateLimitAndRemoveOnThisHost() throws {
        let hierarchy = try CgroupHierarchy.detect()
        let path = "wharf-unit-\(getpid())-\(UInt16.random(in: 0...UInt16.max))/task/main"
        let cgroup = Cgroup(hierarchy: hierarchy, path: path)
        let top = Cgroup(hierarchy: hierarchy, path: String(path.split(separator: "/")[0]))
        defer { try? top.remove(children: ["task/main", "task"]) }
        try cgroup.create()
        try cgroup.apply(
            CgroupLimits(cpuUnits: 512, cpuQuotaUnits: 256, memoryLimitBytes: 64 << 20, memoryReservationBytes: 32 << 20, pidsLimit: 64))
        switch hierarchy {
        case .legacy:
            let cpu = try XCTUnwrap(hierarchy.directory(of: path, controller: "cpu"))
            XCTAssertEqual(try FileSystem.read(cpu + "/cpu.shares"), "512\n")
            XCTAssertEqual(try FileSystem.read(cpu + "/cpu.cfs_quota_us"), "25000\n")
            let memory = try XCTUnwrap(hierarchy.directory(of: path, controller: "memory"))
            XCTAssertEqual(try FileSystem.read(memory + "/memory.limit_in_bytes"), "\(64 << 20)\n")
            XCTAssertEqual(try FileSystem.read(memory + "/memory.soft_limit_in_bytes"), "\(32 << 20)\n")
        case .unified(let root):
            XCTAssertEqual(try FileSystem.read(root + "/" + path + "/cpu.max"), "25000 100000\n")
            XCTAssertEqual(try FileSystem.read(root + "/" + path + "/memory.max"), "\(64 << 20)\n")
        }
        let pids = try XCTUnwrap(hierarchy.directory(of: path, controller: "pids"))
        XCTAssertEqual(try FileSystem.read(pids + "/pids.max"), "64\n")
        XCTAssertEqual(cgroup.processes(), [])
        XCTAssertEqual(cgroup.oomKillCount(), 0)
        try top.remove(children: ["task/main", "task"])
        for directory in hierarchy.directories(of: path) {
            XCTAssertFalse(FileSystem.exists(directory), "\(directory) left behind")
        }
    }
}
