import Foundation
import Runtime
import XCTest

/// The supervisor's container lifecycle as ECS defines it: the essential-container rule,
/// `dependsOn` conditions, stop escalation from SIGTERM to SIGKILL, and exit codes.
final class ContainerLifecycleTests: XCTestCase {
    var fixture: RuntimeFixture!

    override func setUpWithError() throws { fixture = try RuntimeFixture() }
    override func tearDown() {
        fixture?.tearDown()
        // XCTest keeps every test case object until the run ends: the runtime (its netlink
        // sockets, inotify instances and threads) goes now.
        fixture = nil
    }

    /// A container that runs until stopped; init forwards SIGTERM so it dies of it (143).
    private func sleeper(_ name: String, essential: Bool = true) -> ContainerSpec {
        ContainerSpec(name: name, image: "busybox", command: ["sleep", "100"], essential: essential, initProcessEnabled: true)
    }

    private func shell(_ name: String, _ script: String, essential: Bool = true, dependsOn: [ContainerDependency] = [])
        -> ContainerSpec
    {
        ContainerSpec(name: name, image: "busybox", command: ["sh", "-c", script], essential: essential, dependsOn: dependsOn)
    }

    func testEssentialContainerExitStopsTaskAndTerminatesTheOthers() throws {
        // main waits for the sidecar to start, so the sidecar is surely running when main exits.
        let spec = TaskSpec(containers: [
            shell("main", "exit 0", dependsOn: [.init(containerName: "sidecar", condition: .start)]),
            sleeper("sidecar", essential: false),
        ])
        let launched = try fixture.runtime.launch(spec)
        let stopped = try fixture.runtime.wait(launched.id, timeout: 15)
        XCTAssertEqual(stopped.stoppedReason, "Essential container in task exited")
        XCTAssertEqual(stopped.stopCode, "EssentialContainerExited")
        XCTAssertEqual(stopped.container(named: "main")?.exitCode, 0)
        let sidecar = try XCTUnwrap(stopped.container(named: "sidecar"))
        XCTAssertNotNil(sidecar.startedAt, "the sidecar ran")
        XCTAssertEqual(sidecar.exitCode, 143, "the sidecar got SIGTERM, not SIGKILL after its stop timeout")
    }

    func testNonEssentialContainerExitLeavesTaskRunning() throws {
        let spec = TaskSpec(containers: [sleeper("main"), shell("helper", "exit 5", essential: false)])
        let launched = try fixture.runtime.launch(spec)
        let helperDone = try fixture.runtime.wait(
            launched.id, timeout: 10, description: "helper to exit",
            until: { $0.container(named: "helper")?.lastStatus == "STOPPED" || $0.lastStatus == "STOPPED" })
        XCTAssertEqual(helperDone.container(named: "helper")?.exitCode, 5)
        // The task must not begin stopping: give the supervisor a bounded second to (wrongly) do so.
        XCTAssertThrowsError(
            try fixture.runtime.wait(launched.id, timeout: 1, until: { $0.lastStatus != "RUNNING" }),
            "the task left RUNNING after a non-essential container exited")
        let status = try fixture.runtime.status(of: launched.id)
        XCTAssertEqual(status.lastStatus, "RUNNING")
        XCTAssertEqual(status.container(named: "main")?.lastStatus, "RUNNING")
        XCTAssertNil(status.stoppedReason)
    }

    func testSuccessDependencyStartsOnlyAfterCleanExit() throws {
        // The dependent comes first in the list, so only the dependency can hold it back.
        let spec = TaskSpec(containers: [
            shell("b", "exit 0", dependsOn: [.init(containerName: "a", condition: .success)]),
            shell("a", "sleep 1; exit 0", essential: false),
        ])
        let launched = try fixture.runtime.launch(spec)
        let stopped = try fixture.runtime.wait(launched.id, timeout: 15)
        let a = try XCTUnwrap(stopped.container(named: "a"))
        let b = try XCTUnwrap(stopped.container(named: "b"))
        XCTAssertEqual(a.exitCode, 0)
        XCTAssertEqual(b.exitCode, 0)
        let aStopped = try XCTUnwrap(a.stoppedAt)
        let bStarted = try XCTUnwrap(b.startedAt, "b never started")
        XCTAssertGreaterThanOrEqual(bStarted, aStopped, "b started before a exited")
        XCTAssertEqual(stopped.stopCode, "EssentialContainerExited")
    }

    func testCompleteDependencyStartsAfterFailedExit() throws {
        let spec = TaskSpec(containers: [
            shell("b", "exit 0", dependsOn: [.init(containerName: "a", condition: .complete)]),
            shell("a", "exit 1", essential: false),
        ])
        let launched = try fixture.runtime.launch(spec)
        let stopped = try fixture.runtime.wait(launched.id, timeout: 15)
        let a = try XCTUnwrap(stopped.container(named: "a"))
        let b = try XCTUnwrap(stopped.container(named: "b"))
        XCTAssertEqual(a.exitCode, 1)
        XCTAssertEqual(b.exitCode, 0, "COMPLETE accepts any exit code")
        let bStarted = try XCTUnwrap(b.startedAt, "b never started")
        XCTAssertGreaterThanOrEqual(bStarted, try XCTUnwrap(a.stoppedAt))
    }

    func testSatisfiedSuccessDependencyStillWaitsForTheNextOne() throws {
        // a exits 0 at once; c only after 2 s: b must wait for both, not only the first.
        let spec = TaskSpec(containers: [
            shell("b", "exit 0", dependsOn: [.init(containerName: "a", condition: .success),
                                              .init(containerName: "c", condition: .complete)]),
            shell("a", "exit 0", essential: false),
            shell("c", "sleep 2; exit 3", essential: false),
        ])
        let launched = try fixture.runtime.launch(spec)
        let stopped = try fixture.runtime.wait(launched.id, timeout: 15)
        let bStarted = try XCTUnwrap(stopped.container(named: "b")?.startedAt, "b never started")
        XCTAssertGreaterThanOrEqual(bStarted, try XCTUnwrap(stopped.container(named: "c")?.stoppedAt), "b started before c completed")
    }

    func testSuccessDependencyOnFailedContainerNeverStartsAndStopsTask() throws {
        let spec = TaskSpec(containers: [
            shell("b", "exit 0", dependsOn: [.init(containerName: "a", condition: .success)]),
            shell("a", "exit 1", essential: false),
        ])
        let launched = try fixture.runtime.launch(spec)
        let stopped = try fixture.runtime.wait(launched.id, timeout: 15)
        XCTAssertEqual(stopped.lastStatus, "STOPPED", "b is essential, so the task cannot go on without it")
        let b = try XCTUnwrap(stopped.container(named: "b"))
        XCTAssertEqual(b.lastStatus, "STOPPED")
        XCTAssertNil(b.startedAt, "b started although its SUCCESS dependency failed")
        XCTAssertNil(b.exitCode)
        XCTAssertTrue(b.reason?.hasPrefix("DependencyViolation") == true, "reason: \(b.reason ?? "nil")")
        XCTAssertTrue(stopped.stoppedReason?.hasPrefix("DependencyViolation") == true, "task: \(stopped.stoppedReason ?? "nil")")
    }

    func testStartDependencyStartsOnceTheOtherRuns() throws {
        var b = sleeper("b")
        b.dependsOn = [.init(containerName: "a", condition: .start)]
        let spec = TaskSpec(containers: [b, sleeper("a", essential: false)])
        let running = try fixture.launch(spec, until: {
            $0.container(named: "b")?.lastStatus == "RUNNING" || $0.lastStatus == "STOPPED"
        })
        let aStarted = try XCTUnwrap(running.container(named: "a")?.startedAt)
        let bStarted = try XCTUnwrap(running.container(named: "b")?.startedAt)
        XCTAssertGreaterThanOrEqual(bStarted, aStarted)
        XCTAssertEqual(running.container(named: "a")?.lastStatus, "RUNNING", "START does not wait for an exit")
    }

    func testStopEscalatesToSIGKILLAfterStopTimeout() throws {
        // Without init the shell is PID 1 of its namespace and ignores SIGTERM too.
        let status = try fixture.launch(
            RuntimeFixture.task(["sh", "-c", "trap '' TERM; while :; do sleep 1; done"]) { $0.stopTimeout = 2 })
        XCTAssertEqual(status.lastStatus, "RUNNING")
        let start = Date()
        try fixture.runtime.stop(status.id)
        let stopped = try fixture.runtime.wait(status.id, timeout: 15)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(elapsed, 1.5, "killed before the stop timeout")
        XCTAssertLessThanOrEqual(elapsed, 6, "SIGKILL came long after the 2 s stop timeout")
        XCTAssertEqual(stopped.container(named: "main")?.exitCode, 137)
        XCTAssertNil(stopped.container(named: "main")?.reason, "a SIGKILL on stop is not an OOM kill")
        XCTAssertEqual(stopped.stoppedReason, "Task stopped by user")
        XCTAssertEqual(stopped.stopCode, "UserInitiated")
    }

    func testStopSignalsDependentsBeforeTheirDependencies() throws {
        // app ignores SIGTERM and is killed after 1 s; db would die at once of SIGTERM, so if
        // it were signalled together with app it would stop first.
        var app = shell("app", "trap '' TERM; while :; do sleep 1; done", dependsOn: [.init(containerName: "db", condition: .start)])
        app.stopTimeout = 1
        let spec = TaskSpec(containers: [app, sleeper("db")])
        let running = try fixture.launch(spec, until: {
            $0.container(named: "app")?.lastStatus == "RUNNING" || $0.lastStatus == "STOPPED"
        })
        XCTAssertEqual(running.lastStatus, "RUNNING")
        try fixture.runtime.stop(running.id)
        let stopped = try fixture.runtime.wait(running.id, timeout: 15)
        let appStopped = try XCTUnwrap(stopped.container(named: "app")?.stoppedAt)
        let dbStopped = try XCTUnwrap(stopped.container(named: "db")?.stoppedAt)
        XCTAssertEqual(stopped.container(named: "app")?.exitCode, 137)
        XCTAssertEqual(stopped.container(named: "db")?.exitCode, 143)
        XCTAssertGreaterThanOrEqual(dbStopped, appStopped, "db was stopped while app, which depends on it, still ran")
    }

    func testInitProcessStopsAtOnceOnSIGTERM() throws {
        let status = try fixture.launch(RuntimeFixture.task(["sleep", "100"]) { $0.initProcessEnabled = true })
        XCTAssertEqual(status.lastStatus, "RUNNING")
        let start = Date()
        try fixture.runtime.stop(status.id)
        let stopped = try fixture.runtime.wait(status.id, timeout: 10)
        // The default stop timeout is 30 s; SIGTERM alone ends it well before.
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
        XCTAssertEqual(stopped.container(named: "main")?.exitCode, 143)
    }

    func testExitCodePassesThrough() throws {
        let launched = try fixture.runtime.launch(RuntimeFixture.task(["sh", "-c", "exit 42"]))
        let stopped = try fixture.runtime.wait(launched.id, timeout: 10)
        XCTAssertEqual(stopped.container(named: "main")?.exitCode, 42)
        XCTAssertEqual(stopped.essentialExitCode, 42)
        XCTAssertNil(stopped.container(named: "main")?.reason)
    }
}
