import Foundation
import LinuxHost
import Runtime
import ShimProtocol
import XCTest

/// Every launch, finished or failed, gives back everything it took from the host.
final class CleanupTests: XCTestCase {
    var fixture: RuntimeFixture!

    override func setUpWithError() throws { fixture = try RuntimeFixture() }
    override func tearDown() {
        fixture?.tearDown()
        // XCTest keeps every test case object until the run ends: the runtime (its netlink
        // sockets, inotify instances and threads) goes now.
        fixture = nil
    }

    func testRepeatedLaunchStopRemoveLeavesNothing() throws {
        for cycle in 0..<50 {
            let status = try fixture.launch(RuntimeFixture.task(["true"]), until: { $0.lastStatus == "STOPPED" })
            XCTAssertEqual(status.containers.first?.exitCode, 0, "cycle \(cycle)")
            XCTAssertNotNil(status.address, "cycle \(cycle): an awsvpc task gets an address")
            try fixture.runtime.remove(status.id)
        }
        XCTAssertEqual(fixture.leftovers(), [])
        XCTAssertEqual(try taskDirectories(), [])
    }

    func testStoppedTaskKeepsItsFilesUntilRemoved() throws {
        let status = try fixture.launch(RuntimeFixture.task(["sh", "-c", "echo hello"]), until: { $0.lastStatus == "STOPPED" })
        let layout = fixture.configuration.layout(ofTask: status.id)
        // Host resources are released by STOPPED (the veth as the kernel destroys the namespace);
        // the files stay with the task, as a stopped Docker container keeps its layer.
        XCTAssertEqual(fixture.leftovers(), [])
        XCTAssertTrue(FileSystem.exists(layout.upperDirectory(of: "main")))
        let log = try String(contentsOfFile: fixture.runtime.logPath(task: status.id, container: "main"), encoding: .utf8)
        XCTAssertTrue(log.contains("hello"), log)

        try fixture.runtime.remove(status.id)
        XCTAssertFalse(FileSystem.exists(layout.directory))
        XCTAssertFalse(FileSystem.exists(layout.storageDirectory))
        XCTAssertThrowsError(try fixture.runtime.status(of: status.id))
        XCTAssertEqual(try taskDirectories(), [])
        // The files themselves are gone once the removals are finished (as `wharf rm` waits).
        fixture.runtime.finishRemovals()
        XCTAssertEqual(try FileSystem.listDirectory(fixture.configuration.removedTasksDirectory), [])
        XCTAssertEqual(try FileSystem.listDirectory(fixture.configuration.removedTaskStatesDirectory), [])
    }

    func testConcurrentLaunchesGetUniqueAddresses() throws {
        let runtime = fixture.runtime
        // `sleep` under an init, so the stop below is quick.
        let spec = RuntimeFixture.task(["sleep", "60"]) { $0.initProcessEnabled = true }
        let lock = NSLock()
        nonisolated(unsafe) var launched: [TaskStatus] = []
        nonisolated(unsafe) var failures: [String] = []
        DispatchQueue.concurrentPerform(iterations: 10) { _ in
            do {
                let status = try runtime.launch(spec)
                lock.withLock { launched.append(status) }
            } catch {
                lock.withLock { failures.append("\(error)") }
            }
        }
        XCTAssertEqual(failures, [])
        XCTAssertEqual(launched.count, 10)
        // All ten tasks hold their address at the same time here.
        let addresses = launched.compactMap(\.address)
        XCTAssertEqual(addresses.count, 10)
        XCTAssertEqual(Set(addresses).count, addresses.count, "an address was handed out twice: \(addresses.sorted())")
        for task in launched {
            let running = try runtime.wait(task.id, timeout: 10, description: "RUNNING") { $0.lastStatus != "PENDING" }
            XCTAssertEqual(running.lastStatus, "RUNNING")
        }

        for task in launched { try runtime.stop(task.id) }
        for task in launched {
            XCTAssertEqual(try runtime.wait(task.id, timeout: 10).lastStatus, "STOPPED")
            try runtime.remove(task.id)
        }
        XCTAssertEqual(fixture.leftovers(), [])
        XCTAssertEqual(try taskDirectories(), [])
    }

    func testFailedLaunchRollsBackEverything() throws {
        // The address pool holds one task: the second launch fails allocating its address, late,
        // when its supervisor (spawned early, waiting to start), cgroups and network namespace
        // exist. All of that must go, the supervisor included.
        var configuration = fixture.configuration
        let subnet = try XCTUnwrap(configuration.subnet)
        configuration.subnet = try XCTUnwrap(IPv4Network(address: subnet.address, prefixLength: 30))
        let runtime = try ContainerRuntime(configuration: configuration)
        let first = try runtime.launch(RuntimeFixture.webServer)

        var failedID = ""
        XCTAssertThrowsError(try runtime.launch(RuntimeFixture.webServer)) { error in
            guard case .launchFailed(let id, let underlying) = error as? RuntimeError else {
                return XCTFail("expected launchFailed, got \(error)")
            }
            failedID = id
            XCTAssertEqual(underlying.errno, ENOSPC, "\(underlying)")
        }
        XCTAssertFalse(failedID.isEmpty)
        XCTAssertTrue(waitUntil(seconds: 5) { !Self.processRuns(mentioning: failedID) }, "the abandoned supervisor still runs")
        XCTAssertFalse(FileSystem.exists(configuration.layout(ofTask: failedID).directory))
        XCTAssertFalse(FileSystem.exists(configuration.layout(ofTask: failedID).storageDirectory))

        try runtime.stop(first.id)
        XCTAssertEqual(try runtime.wait(first.id, timeout: 10).lastStatus, "STOPPED")
        try runtime.remove(first.id)
        XCTAssertEqual(fixture.leftovers(), [])
        XCTAssertEqual(try taskDirectories(), [])
        // The bridge stays (it is shared), but no task's veth is on it (the network pool's
        // prepared veths, marked by their alias, are the runtime's, not a task's).
        let links = try RouteNetlink().links()
        let bridge = try XCTUnwrap(links.first { $0.name == configuration.bridgeName })
        let onBridge = links.filter { $0.masterIndex == bridge.index && $0.alias != "wharf-prepared" }
        XCTAssertEqual(onBridge.map(\.name), [])
    }

    func testSupervisorThatCannotBeStartedRollsBackEverything() throws {
        var configuration = fixture.configuration
        configuration.supervisorPath = fixture.root + "/no-such-wharf-shim"
        let runtime = try ContainerRuntime(configuration: configuration)
        XCTAssertThrowsError(try runtime.launch(RuntimeFixture.webServer)) { error in
            guard case .launchFailed(_, let underlying) = error as? RuntimeError else {
                return XCTFail("expected launchFailed, got \(error)")
            }
            XCTAssertEqual(underlying.errno, ENOENT, "\(underlying)")
        }
        XCTAssertEqual(fixture.leftovers(), [])
        XCTAssertEqual(try taskDirectories(), [])
    }

    /// A supervisor that exits before it starts the task either fails the launch (the start
    /// message or the adoption notices it is gone) or, when it was still there for both, leaves
    /// a task whose supervisor is dead: `reconcile` stops that one. Either way nothing is left.
    func testSupervisorThatExitsAtOnceLeavesNothingBehind() throws {
        let script = fixture.root + "/exiting-shim"
        try "#!/bin/sh\nexit 0\n".write(toFile: script, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(script, 0o755), 0)
        var configuration = fixture.configuration
        configuration.supervisorPath = script
        let runtime = try ContainerRuntime(configuration: configuration)
        var launched: [String] = []
        for _ in 0..<3 {
            do {
                launched.append(try runtime.launch(RuntimeFixture.task(["true"])).id)
            } catch {
                guard case .launchFailed = error else { return XCTFail("expected launchFailed, got \(error)") }
            }
        }
        for id in launched {
            // Gone from the process table's command lines is not yet dead: an exiting process
            // drops its command line before it becomes a zombie, and reconcile takes a supervisor
            // that is not a zombie yet for a live one.
            let pidFile = configuration.tasksDirectory + "/" + id + "/supervisor.pid"
            let recorded = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap(ProcessIdentity.init(parsing:))
            XCTAssertTrue(
                waitUntil(seconds: 10) { !Self.processRuns(mentioning: id) && recorded?.isAlive != true },
                "supervisor of \(id) still runs")
        }
        runtime.reconcile()
        for id in launched {
            XCTAssertEqual(try runtime.status(of: id).lastStatus, "STOPPED")
            try runtime.remove(id)
        }
        runtime.finishRemovals()
        XCTAssertEqual(fixture.leftovers(), [])
        XCTAssertEqual(try taskDirectories(), [])
    }

    /// Whether a process has `text` in its command line (a supervisor names its task directory).
    private static func processRuns(mentioning text: String) -> Bool {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { Int($0) != nil }
        return pids.contains { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(text)
        }
    }

    private func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    // MARK: - Helpers

    /// The task directories of the fixture's runtime: state and storage.
    private func taskDirectories() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixture.configuration.tasksDirectory)
            + FileManager.default.contentsOfDirectory(atPath: fixture.configuration.taskStorageDirectory)
    }
}
