import Foundation
import LinuxHost
import Runtime
import XCTest

/// Tasks outlive the runtime object, and a runtime started later cleans up after supervisors
/// that died and resources that belong to no task.
final class RestartTests: XCTestCase {
    var fixture: RuntimeFixture!

    override func setUpWithError() throws { fixture = try RuntimeFixture() }
    override func tearDown() {
        fixture?.tearDown()
        // XCTest keeps every test case object until the run ends: the runtime (its netlink
        // sockets, inotify instances and threads) goes now.
        fixture = nil
    }

    func testNewRuntimeAdoptsRunningTask() throws {
        let launched = try fixture.launch(RuntimeFixture.webServer)
        XCTAssertEqual(launched.lastStatus, "RUNNING")
        let address = try XCTUnwrap(launched.address)
        XCTAssertNotNil(pollHTTP(address), "the task never answered before the restart")

        // A second runtime on the same configuration knows nothing but the task directories;
        // its start-up reconcile must leave the live task alone.
        let restarted = try ContainerRuntime(configuration: fixture.configuration)
        let adopted = try XCTUnwrap(restarted.tasks().first { $0.id == launched.id })
        XCTAssertEqual(adopted.lastStatus, "RUNNING")
        XCTAssertEqual(adopted.address, address)
        XCTAssertEqual(pollHTTP(address), "hello from wharf busybox\n", "the task stopped answering after the restart")

        try restarted.stop(launched.id)
        let stopped = try restarted.wait(launched.id, timeout: 10)
        XCTAssertEqual(stopped.stoppedReason, "Task stopped by user")
        XCTAssertEqual(fixture.leftovers(), [])
    }

    func testStorageOfTasksWhoseStateIsGoneIsRemovedAtStart() throws {
        // What a reboot leaves: the state directory (tmpfs) is gone, the storage (disk) is not.
        let stopped = try fixture.launch(RuntimeFixture.task(["sh", "-c", "echo bye"]), until: { $0.lastStatus == "STOPPED" })
        let layout = fixture.configuration.layout(ofTask: stopped.id)
        XCTAssertTrue(FileSystem.exists(layout.log(of: "main")))
        try FileSystem.removeTree(layout.directory)
        // A live task keeps its storage.
        let live = try fixture.launch(RuntimeFixture.task(["sleep", "60"]) { $0.initProcessEnabled = true })

        let restarted = try ContainerRuntime(configuration: fixture.configuration)
        restarted.finishRemovals()
        XCTAssertFalse(FileSystem.exists(layout.storageDirectory))
        XCTAssertEqual(try FileSystem.listDirectory(fixture.configuration.removedTasksDirectory), [])
        XCTAssertTrue(FileSystem.exists(fixture.configuration.layout(ofTask: live.id).upperDirectory(of: "main")))
        XCTAssertEqual(try restarted.status(of: live.id).lastStatus, "RUNNING")
    }

    func testKilledSupervisorIsReconciledByNewRuntime() throws {
        let launched = try fixture.launch(RuntimeFixture.webServer)
        XCTAssertEqual(launched.lastStatus, "RUNNING")
        let supervisorPID = try XCTUnwrap(launched.supervisorPID)
        let supervisor = try XCTUnwrap(ProcessIdentity.of(pid: supervisorPID))
        let containerPID = try XCTUnwrap(launched.containers.first?.pid)
        let container = try XCTUnwrap(ProcessIdentity.of(pid: containerPID))

        XCTAssertEqual(kill(supervisorPID, SIGKILL), 0)
        XCTAssertTrue(waitUntil(seconds: 5) { !supervisor.isAlive }, "the supervisor did not die")
        // Without its supervisor the container keeps running: nothing has cleaned up yet.
        XCTAssertTrue(container.isAlive)

        let restarted = try ContainerRuntime(configuration: fixture.configuration)
        let status = try restarted.status(of: launched.id)
        XCTAssertEqual(status.lastStatus, "STOPPED")
        XCTAssertEqual(status.stoppedReason, "Task supervisor exited unexpectedly")
        XCTAssertEqual(status.containers.first?.lastStatus, "STOPPED")
        XCTAssertTrue(waitUntil(seconds: 5) { !container.isAlive }, "the container outlived the reconcile")
        XCTAssertEqual(fixture.leftovers(), [])
    }

    func testSupervisorExitsAreReportedForLaunchedAndFollowedTasks() throws {
        try XCTSkipUnless(fixture.runtime.reportsSupervisorExits, "this kernel has no pidfds")
        let exits = ExitLog()
        fixture.runtime.onSupervisorExit { exits.add($0) }
        let own = try fixture.launch(RuntimeFixture.task(["sleep", "100"]) { $0.initProcessEnabled = true })
        let adopted = try fixture.launch(RuntimeFixture.task(["sleep", "100"]) { $0.initProcessEnabled = true })

        // A task this runtime launched: its supervisor's death is reported without a look at it.
        XCTAssertEqual(kill(try XCTUnwrap(own.supervisorPID), SIGKILL), 0)
        XCTAssertTrue(waitUntil(seconds: 5) { exits.ids.contains(own.id) }, "the launched task's supervisor exit was not reported")

        // A task found by another runtime (as after a restart): followed by its pidfd, not reaped.
        let restarted = try ContainerRuntime(configuration: fixture.configuration)
        let restartedExits = ExitLog()
        restarted.onSupervisorExit { restartedExits.add($0) }
        XCTAssertTrue(restarted.followSupervisor(of: adopted.id))
        XCTAssertTrue(restarted.followSupervisor(of: adopted.id), "following twice is following")
        try fixture.runtime.stop(adopted.id)
        XCTAssertTrue(waitUntil(seconds: 10) { restartedExits.ids == [adopted.id] }, "the followed exit was not reported once")
        // A task whose supervisor is gone cannot be followed: the caller looks at it instead.
        XCTAssertFalse(restarted.followSupervisor(of: own.id))
        XCTAssertEqual(try restarted.wait(own.id, timeout: 10).stoppedReason, "Task supervisor exited unexpectedly")
    }

    func testWaitReconcilesKilledSupervisor() throws {
        let launched = try fixture.launch(RuntimeFixture.webServer)
        let supervisorPID = try XCTUnwrap(launched.supervisorPID)
        let container = try XCTUnwrap(launched.containers.first?.pid.flatMap(ProcessIdentity.of(pid:)))
        XCTAssertEqual(kill(supervisorPID, SIGKILL), 0)

        // `wait` notices the dead supervisor itself and finishes the task for it.
        let stopped = try fixture.runtime.wait(launched.id, timeout: 10)
        XCTAssertEqual(stopped.stoppedReason, "Task supervisor exited unexpectedly")
        XCTAssertTrue(waitUntil(seconds: 5) { !container.isAlive }, "the container outlived the reconcile")
        XCTAssertEqual(fixture.leftovers(), [])
    }

    func testReconcileRemovesOrphanedResourcesButKeepsLiveTask() throws {
        // A live task whose resources must survive the sweep.
        let live = try fixture.launch(RuntimeFixture.webServer)
        let liveAddress = try XCTUnwrap(live.address)
        let configuration = fixture.configuration
        let subnet = try XCTUnwrap(configuration.subnet)

        // Resources named after a task that has no task directory, as a crash would leave them.
        let orphan = (0..<32).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
        let vethName = configuration.vethPrefix + String(orphan.prefix(15 - configuration.vethPrefix.count))
        let peerName = configuration.vethPrefix + "p" + String(orphan.suffix(8))
        let netlink = try RouteNetlink()
        try netlink.createVethPair(hostName: vethName, peerName: peerName, peerNamespaceFD: nil)
        // Delete it here too in case the sweep fails, so a failing test leaks nothing.
        defer { _ = try? netlink.deleteLink(named: vethName) }
        let pool = try IPAddressPool(directory: configuration.addressPoolDirectory, network: subnet)
        let orphanAddress = try pool.allocate(owner: orphan)
        let hierarchy = try CgroupHierarchy.detect()
        try Cgroup(hierarchy: hierarchy, path: configuration.cgroupParent + "/" + orphan).create()

        let before = fixture.leftovers()
        for expected in ["veth \(vethName)", "address owner.\(orphan)", "address \(orphanAddress)"] {
            XCTAssertTrue(before.contains(expected), "\(expected) missing from \(before)")
        }
        XCTAssertTrue(before.contains { $0.hasPrefix("cgroup ") && $0.hasSuffix("/" + orphan) }, "\(before)")

        fixture.runtime.reconcile()

        let after = fixture.leftovers()
        XCTAssertEqual(after.filter { $0.contains(orphan) || $0.contains(vethName) || $0.contains(peerName) }, [])
        XCTAssertFalse(after.contains("address \(orphanAddress)"), "\(after)")
        XCTAssertNil(try netlink.link(named: peerName), "the veth's peer is still there")
        // The live task kept everything it holds.
        XCTAssertEqual(try fixture.runtime.status(of: live.id).lastStatus, "RUNNING")
        XCTAssertEqual(pollHTTP(liveAddress), "hello from wharf busybox\n")
        XCTAssertEqual(pool.address(of: live.id)?.description, liveAddress)
    }

    func testReconcileKeepsNonVethLinksSharingThePrefix() throws {
        // Another runtime's bridge may start with this runtime's veth prefix (`wharf1` and the
        // default prefix `wh`); the orphan sweep must only ever delete veths.
        let configuration = fixture.configuration
        let bridgeName = configuration.vethPrefix + "br" + String(UInt32.random(in: 0...0xffff), radix: 16)
        let netlink = try RouteNetlink()
        XCTAssertTrue(try netlink.createBridge(named: bridgeName))
        defer { _ = try? netlink.deleteLink(named: bridgeName) }

        fixture.runtime.reconcile()

        XCTAssertEqual(try netlink.link(named: bridgeName)?.kind, "bridge", "the sweep deleted a bridge")
    }

    func testReconcileKeepsPrefixedVethsOnAnotherBridge() throws {
        // Another runtime (say a concurrent benchmark run) may use the same veth prefix with its
        // own bridge: its task veths are not this runtime's orphans.
        let configuration = fixture.configuration
        let token = String(UInt32.random(in: 0...0xffff), radix: 16)
        let otherBridge = "wto" + token
        let vethName = configuration.vethPrefix + "o" + token
        let netlink = try RouteNetlink()
        XCTAssertTrue(try netlink.createBridge(named: otherBridge))
        defer { _ = try? netlink.deleteLink(named: otherBridge) }
        try netlink.createVethPair(hostName: vethName, peerName: "wtq" + token, peerNamespaceFD: nil)
        defer { _ = try? netlink.deleteLink(named: vethName) }
        let bridgeIndex = try XCTUnwrap(try netlink.linkIndex(named: otherBridge))
        try netlink.setMaster(linkIndex: try XCTUnwrap(try netlink.linkIndex(named: vethName)), masterIndex: bridgeIndex)

        XCTAssertFalse(fixture.leftovers().contains("veth \(vethName)"))
        fixture.runtime.reconcile()
        XCTAssertEqual(try netlink.link(named: vethName)?.masterIndex, bridgeIndex, "the sweep deleted another runtime's veth")
    }

    // MARK: - Helpers

    /// Polls `condition` every 10 ms for at most `seconds`; whether it came true.
    private func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { return false }
            usleep(10_000)
        }
        return true
    }
}

/// Task IDs reported by `onSupervisorExit`, in order.
private final class ExitLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reported: [String] = []

    func add(_ id: String) { lock.withLock { reported.append(id) } }
    var ids: [String] { lock.withLock { reported } }
}
