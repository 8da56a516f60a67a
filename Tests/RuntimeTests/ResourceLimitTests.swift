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
    override func tearDown() { fixture?.tearDown() }

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
        var spec = RuntimeFixture.task(["sleep", "100"]) {
            $0.initProcessEnabled = true
            $0.cpu = 512
            $0.memory = 64
            $0.memoryReservation = 32
        }
        spec.cpu = 1024
        spec.memory = 128
        let status = try fixture.launch(spec)
        XCTAssertEqual(status.lastStatus, "RUNNING")
        let hierarchy = try CgroupHierarchy.detect()
        let task = fixture.configuration.cgroupParent + "/" + status.id
        let container = task + "/main"
        if hierarchy.isUnified {
            XCTAssertEqual(try value(hierarchy, task, "cpu", "cpu.max"), "100000 100000")
            XCTAssertEqual(try value(hierarchy, task, "memory", "memory.max"), "\(128 << 20)")
            XCTAssertEqual(try value(hierarchy, container, "memory", "memory.max"), "\(64 << 20)")
            XCTAssertEqual(try value(hierarchy, container, "memory", "memory.low"), "\(32 << 20)")
        } else {
            // Task cpu 1024 units: one whole CPU, a quota of the full 100 ms period.
            XCTAssertEqual(try value(hierarchy, task, "cpu", "cpu.cfs_quota_us"), "100000")
            XCTAssertEqual(try value(hierarchy, task, "cpu", "cpu.cfs_period_us"), "100000")
            XCTAssertEqual(try value(hierarchy, task, "cpu", "cpu.shares"), "1024")
            // Container cpu units pass through as shares, as Docker does.
            XCTAssertEqual(try value(hierarchy, container, "cpu", "cpu.shares"), "512")
            XCTAssertEqual(try value(hierarchy, task, "memory", "memory.limit_in_bytes"), "\(128 << 20)")
            XCTAssertEqual(try value(hierarchy, container, "memory", "memory.limit_in_bytes"), "\(64 << 20)")
            XCTAssertEqual(try value(hierarchy, container, "memory", "memory.soft_limit_in_bytes"), "\(32 << 20)")
        }
        XCTAssertEqual(try value(hierarchy, task, "pids", "pids.max"), "4096")
    }

    // MARK: - Helpers

    private func assertOOMKilled(_ stopped: TaskStatus, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(stopped.lastStatus, "STOPPED", file: file, line: line)
        XCTAssertEqual(stopped.stoppedReason, "Essential container in task exited", file: file, line: line)
        XCTAssertEqual(stopped.stopCode, "EssentialContainerExited", file: file, line: line)
        let container = stopped.container(named: "main")
        XCTAssertEqual(container?.lastStatus, "STOPPED", file: file, line: line)
        XCTAssertEqual(container?.exitCode, 137, file: file, line: line)
        XCTAssertEqual(container?.reason, "OutOfMemoryError: Container killed due to memory usage", file: file, line: line)
    }

    /// The first line of a cgroup control file.
    private func value(_ hierarchy: CgroupHierarchy, _ path: String, _ controller: String, _ file: String) throws -> String {
        let directory = try XCTUnwrap(hierarchy.directory(of: path, controller: controller))
        let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
        return text.split(separator: "\n").first.map(String.init) ?? ""
    }
}
