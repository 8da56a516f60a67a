import Foundation
import LinuxHost
import Runtime
import XCTest

/// Memory, CPU and pids limits: the cgroup files hold what the ECS units map to, and the kernel
/// enforces them (an over-limit container is OOM-killed and reported as ECS reports it; a CPU
/// quota caps a busy loop).
final class ResourceLimitTests: XCTestCase {
    var fixture: RuntimeFixture!

    override func setUpWithError() throws { fixture = try RuntimeFixture() }
    override func tearDown() {
        fixture?.tearDown()
        // XCTest keeps every test case object until the run ends: the runtime (its netlink
        // sockets, inotify instances and threads) goes now.
        fixture = nil
    }

    /// dd allocates and touches one 64 MiB buffer, four times a 16 MiB limit.
    private let memoryHog = ["sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1"]

    func testContainerMemoryLimitOOMKillsAndReportsLikeECS() throws {
        let launched = try fixture.runtime.launch(RuntimeFixture.task(memoryHog) { $0.memory = 16 })
        let stopped = try fixture.runtime.wait(launched.id, timeout: 15)
        assertOOMKilled(stopped)
    }

    func testTaskMemoryLimitAloneOOMKillsTheContainer() throws {
        // No container limit: only the task cgroup's limit stops dd, and the kill is still
        // attributed to the container.
        var spec = RuntimeFixture.task(memoryHog)
        spec.memory = 16
        let launched = try fixture.runtime.launch(spec)
        let stopped = try fixture.runtime.wait(launched.id, timeout: 15)
        assertOOMKilled(stopped)
    }

    func testOOMKillUnderInitIsStillReportedAsOOM() throws {
        // With init as PID 1 the kernel kills dd, not the container's first process; init exits
        // with dd's status, and the reason must still say OOM.
        let launched = try fixture.runtime.launch(
            RuntimeFixture.task(memoryHog) {
                $0.memory = 16
                $0.initProcessEnabled = true
            })
        let stopped = try fixture.runtime.wait(launched.id, timeout: 15)
        assertOOMKilled(stopped)
    }

    func testNonEssentialOOMKillLeavesTaskRunning() throws {
        let hog = ContainerSpec(name: "hog", image: "busybox", command: memoryHog, memory: 16, essential: false)
        let main = ContainerSpec(name: "main", image: "busybox", command: ["sleep", "100"], initProcessEnabled: true)
        let launched = try fixture.runtime.launch(TaskSpec(containers: [main, hog]))
        let status = try fixture.runtime.wait(
            launched.id, timeout: 15, description: "hog to stop",
            until: { $0.container(named: "hog")?.lastStatus == "STOPPED" || $0.lastStatus == "STOPPED" })
        XCTAssertEqual(status.container(named: "hog")?.exitCode, 137)
        XCTAssertEqual(status.container(named: "hog")?.reason, "OutOfMemoryError: Container killed due to memory usage")
        XCTAssertEqual(status.container(named: "main")?.lastStatus, "RUNNING", "the hog's limit must not touch main")
        XCTAssertNil(status.stoppedReason)
        // When main is stopped later its exit is a plain SIGTERM, not blamed on the earlier OOM.
        try fixture.runtime.stop(launched.id)
        let stopped = try fixture.runtime.wait(launched.id, timeout: 10)
        XCTAssertEqual(stopped.container(named: "main")?.exitCode, 143)
        XCTAssertNil(stopped.container(named: "main")?.reason)
    }

    func testSmallAllocationUnderTheLimitIsNotReportedAsOOM() throws {
        // The control for the OOM tests: 4 MiB under a 16 MiB limit exits 0 with no OOM reason.
        let launched = try fixture.runtime.launch(
            RuntimeFixture.task(["sh", "-c", "dd if=/dev/zero of=/dev/null bs=4M count=1"]) { $0.memory = 16 })
        let stopped = try fixture.runtime.wait(launched.id, timeout: 15)
        let container = try XCTUnwrap(stopped.container(named: "main"))
        XCTAssertEqual(container.exitCode, 0)
        XCTAssertNil(container.reason)
    }

    func testCPUQuotaCapsABusyLoop() throws {
        var spec = RuntimeFixture.task(["sh", "-c", "while :; do :; done"]) { $0.initProcessEnabled = true }
        spec.cpu = 256
        let status = try fixture.launch(spec)
        XCTAssertEqual(status.lastStatus, "RUNNING")
        let hierarchy = try CgroupHierarchy.detect()
        let path = fixture.configuration.cgroupParent + "/" + status.id
        // 256 units = a quarter of each 100 ms period.
        if hierarchy.isUnified {
            XCTAssertEqual(try value(hierarchy, path, "cpu", "cpu.max"), "25000 100000")
        } else {
            XCTAssertEqual(try value(hierarchy, path, "cpu", "cpu.cfs_quota_us"), "25000")
            XCTAssertEqual(try value(hierarchy, path, "cpu", "cpu.cfs_period_us"), "100000")
        }
        let cgroup = Cgroup(hierarchy: hierarchy, path: path)
        let before = try XCTUnwrap(cgroup.cpuUsageNanoseconds())
        let start = DispatchTime.now().uptimeNanoseconds
        // A measuring interval, not a wait for a condition: the quota only shows over time.
        Thread.sleep(forTimeInterval: 2)
        let after = try XCTUnwrap(cgroup.cpuUsageNanoseconds())
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
        let share = Double(after - before) / elapsed
        // 256 units = a quarter CPU; unlimited, the loop would use a whole one.
        XCTAssertLessThan(share, 0.5, "busy loop used \(share) CPUs under a 0.25 CPU quota")
        XCTAssertGreaterThan(share, 0.05, "the busy loop barely ran (\(share) CPUs): the measurement shows nothing")
    }

    func testCgroupFilesHoldWhatECSUnitsMapTo() throws {
        // Two containers: each has a cgroup of its own below the task's, with its own limits.
        var spec = sleeperWithContainerLimits
        spec.containers.append(ContainerSpec(name: "sidecar", image: "busybox", command: ["sleep", "100"], initProcessEnabled: true))
        spec.cpu = 1024
        spec.memory = 128
        let status = try fixture.launch(spec)
        XCTAssertEqual(status.lastStatus, "RUNNING")
        let hierarchy = try CgroupHierarchy.detect()
        let task = fixture.configuration.cgroupParent + "/" + status.id
        // Task cpu 1024 units: one whole CPU, a quota of the full 100 ms period. Container cpu
        // units pass through as shares, as Docker does.
        try assertLimits(hierarchy, task, shares: 1024, quotaMicroseconds: 100_000, memoryMiB: 128, reservationMiB: nil)
        try assertLimits(hierarchy, task + "/main", shares: 512, quotaMicroseconds: nil, memoryMiB: 64, reservationMiB: 32)
        XCTAssertEqual(try value(hierarchy, task, "pids", "pids.max"), "4096")
        for container in ["main", "sidecar"] {
            let pid = try XCTUnwrap(status.container(named: container)?.pid)
            XCTAssertTrue(try members(hierarchy, task + "/" + container, "memory").contains(pid), container)
        }
    }

    func testOneContainerRunsInTheTaskCgroupWithItsLimits() throws {
        // A task's one container gets no cgroup of its own: the task's carries both levels'
        // limits (the smaller hard memory limit, the container's reservation and, with no task
        // cpu, the container's cpu units as shares).
        var spec = sleeperWithContainerLimits
        spec.memory = 128
        let status = try fixture.launch(spec)
        XCTAssertEqual(status.lastStatus, "RUNNING")
        let hierarchy = try CgroupHierarchy.detect()
        let task = fixture.configuration.cgroupParent + "/" + status.id
        try assertLimits(hierarchy, task, shares: 512, quotaMicroseconds: nil, memoryMiB: 64, reservationMiB: 32)
        XCTAssertEqual(try value(hierarchy, task, "pids", "pids.max"), "4096")
        for directory in hierarchy.directories(of: task) {
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/main"), directory)
        }
        let pid = try XCTUnwrap(status.container(named: "main")?.pid)
        for controller in ["cpu", "memory", "pids"] {
            XCTAssertTrue(try members(hierarchy, task, controller).contains(pid), controller)
        }
    }

    // MARK: - Helpers

    /// A task of one sleeping container `main` with container cpu 512, memory 64 and
    /// memoryReservation 32.
    private var sleeperWithContainerLimits: TaskSpec {
        RuntimeFixture.task(["sleep", "100"]) {
            $0.initProcessEnabled = true
            $0.cpu = 512
            $0.memory = 64
            $0.memoryReservation = 32
        }
    }

    private func assertOOMKilled(_ stopped: TaskStatus, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(stopped.lastStatus, "STOPPED", file: file, line: line)
        XCTAssertEqual(stopped.stoppedReason, "Essential container in task exited", file: file, line: line)
        XCTAssertEqual(stopped.stopCode, "EssentialContainerExited", file: file, line: line)
        let container = stopped.container(named: "main")
        XCTAssertEqual(container?.lastStatus, "STOPPED", file: file, line: line)
        XCTAssertEqual(container?.exitCode, 137, file: file, line: line)
        XCTAssertEqual(container?.reason, "OutOfMemoryError: Container killed due to memory usage", file: file, line: line)
    }

    /// Checks a cgroup's cpu and memory files: cpu shares (v2: the weight they map to), the CFS
    /// quota per 100 ms period (`nil`: none), the hard and the soft memory limit (`nil`: not checked).
    private func assertLimits(
        _ hierarchy: CgroupHierarchy, _ path: String, shares: Int, quotaMicroseconds: Int?, memoryMiB: Int?,
        reservationMiB: Int?, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        func expect(_ controller: String, _ name: String, _ expected: String?) throws {
            guard let expected else { return }
            XCTAssertEqual(try value(hierarchy, path, controller, name), expected, "\(path) \(name)", file: file, line: line)
        }
        let memory = memoryMiB.map { "\($0 << 20)" }, reservation = reservationMiB.map { "\($0 << 20)" }
        if hierarchy.isUnified {
            try expect("cpu", "cpu.weight", "\(CgroupLimits.weight(forShares: shares))")
            try expect("cpu", "cpu.max", "\(quotaMicroseconds.map(String.init) ?? "max") 100000")
            try expect("memory", "memory.max", memory)
            try expect("memory", "memory.low", reservation)
        } else {
            try expect("cpu", "cpu.shares", "\(shares)")
            try expect("cpu", "cpu.cfs_quota_us", "\(quotaMicroseconds ?? -1)")
            try expect("cpu", "cpu.cfs_period_us", "100000")
            try expect("memory", "memory.limit_in_bytes", memory)
            try expect("memory", "memory.soft_limit_in_bytes", reservation)
        }
    }

    /// The processes directly in a cgroup (its `cgroup.procs`) in `controller`'s hierarchy.
    private func members(_ hierarchy: CgroupHierarchy, _ path: String, _ controller: String) throws -> [Int32] {
        let directory = try XCTUnwrap(hierarchy.directory(of: path, controller: controller))
        return try String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
    }

    /// The first line of a cgroup control file.
    private func value(_ hierarchy: CgroupHierarchy, _ path: String, _ controller: String, _ file: String) throws -> String {
        let directory = try XCTUnwrap(hierarchy.directory(of: path, controller: controller))
        let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
        return text.split(separator: "\n").first.map(String.init) ?? ""
    }
}
