import Foundation
import Runtime
import XCTest

/// Container health checks run inside the container by the supervisor: status transitions,
/// both command forms, check timeouts, and `dependsOn` HEALTHY.
final class HealthCheckTests: XCTestCase {
    var fixture: RuntimeFixture!

    override func setUpWithError() throws { fixture = try RuntimeFixture() }
    override func tearDown() {
        fixture?.tearDown()
        // XCTest keeps every test case object until the run ends: the runtime (its netlink
        // sockets, inotify instances and threads) goes now.
        fixture = nil
    }

    private func health(_ status: TaskStatus, _ name: String = "main") -> String? {
        status.container(named: name)?.healthStatus
    }

    func testShellCheckGoesHealthyThenUnhealthy() throws {
        // The file exists for 7 s: the checks at ~1 s and ~6 s pass, the one at ~11 s fails.
        let spec = RuntimeFixture.task(["sh", "-c", "touch /tmp/healthy; sleep 7; rm /tmp/healthy; sleep 60"]) {
            $0.initProcessEnabled = true
            $0.healthCheck = HealthCheckSpec(command: ["CMD-SHELL", "test -f /tmp/healthy"], interval: 5, retries: 1)
        }
        let launched = try fixture.runtime.launch(spec)
        let healthy = try fixture.runtime.wait(
            launched.id, timeout: 5, description: "HEALTHY",
            until: { self.health($0) != "UNKNOWN" || $0.lastStatus == "STOPPED" })
        XCTAssertEqual(health(healthy), "HEALTHY")
        let unhealthy = try fixture.runtime.wait(
            launched.id, timeout: 15, description: "UNHEALTHY",
            until: { self.health($0) == "UNHEALTHY" || $0.lastStatus == "STOPPED" })
        XCTAssertEqual(health(unhealthy), "UNHEALTHY")
        XCTAssertEqual(unhealthy.lastStatus, "RUNNING", "an unhealthy container keeps running; ECS replaces the task")
    }

    func testCommandFormCheckGoesHealthy() throws {
        XCTAssertEqual(try firstHealthStatus(ofCheck: ["CMD", "true"]), "HEALTHY")
    }

    func testFailingCommandFormCheckGoesUnhealthy() throws {
        // The control for the test above: the CMD form's exit code is what counts.
        XCTAssertEqual(try firstHealthStatus(ofCheck: ["CMD", "false"]), "UNHEALTHY")
    }

    func testCheckRunsInTheContainersWorkingDirectory() throws {
        let check = ["CMD-SHELL", "[ \"$(pwd)\" = /srv/check ]"]
        XCTAssertEqual(try firstHealthStatus(ofCheck: check, workingDirectory: "/srv/check"), "HEALTHY")
    }

    /// The first health status an idle container reaches with `command` as its check (retries 1).
    private func firstHealthStatus(ofCheck command: [String], workingDirectory: String? = nil) throws -> String? {
        let spec = RuntimeFixture.task(["sleep", "100"]) {
            $0.initProcessEnabled = true
            $0.workingDirectory = workingDirectory
            $0.healthCheck = HealthCheckSpec(command: command, interval: 5, retries: 1)
        }
        let launched = try fixture.runtime.launch(spec)
        let status = try fixture.runtime.wait(
            launched.id, timeout: 5, description: "a health status",
            until: { self.health($0) != "UNKNOWN" || $0.lastStatus == "STOPPED" })
        return health(status)
    }

    func testCheckThatTimesOutGoesUnhealthy() throws {
        let spec = RuntimeFixture.task(["sleep", "100"]) {
            $0.initProcessEnabled = true
            $0.healthCheck = HealthCheckSpec(command: ["CMD-SHELL", "sleep 10"], interval: 5, timeout: 2, retries: 1, startPeriod: 0)
        }
        let launched = try fixture.runtime.launch(spec)
        let start = Date()
        // First check at ~1 s, killed at its 2 s timeout: UNHEALTHY at ~3 s, long before sleep 10 ends.
        let status = try fixture.runtime.wait(
            launched.id, timeout: 8, description: "UNHEALTHY",
            until: { self.health($0) != "UNKNOWN" || $0.lastStatus == "STOPPED" })
        XCTAssertEqual(health(status), "UNHEALTHY")
        XCTAssertLessThan(Date().timeIntervalSince(start), 7, "the check was not cut off at its timeout")
    }

    func testHealthyDependencyWaitsForHealth() throws {
        var web = ContainerSpec(name: "web", image: "busybox", command: ["sleep", "100"], initProcessEnabled: true)
        web.healthCheck = HealthCheckSpec(command: ["CMD", "true"], interval: 5, retries: 1)
        var client = ContainerSpec(name: "client", image: "busybox", command: ["sleep", "100"], initProcessEnabled: true)
        client.dependsOn = [.init(containerName: "web", condition: .healthy)]
        let launched = try fixture.runtime.launch(TaskSpec(containers: [client, web]))
        let status = try fixture.runtime.wait(
            launched.id, timeout: 8, description: "client to start",
            until: { $0.container(named: "client")?.lastStatus != "PENDING" || $0.lastStatus == "STOPPED" })
        XCTAssertEqual(status.container(named: "client")?.lastStatus, "RUNNING")
        XCTAssertEqual(health(status, "web"), "HEALTHY", "client started before web was healthy")
        let webStarted = try XCTUnwrap(status.container(named: "web")?.startedAt)
        let clientStarted = try XCTUnwrap(status.container(named: "client")?.startedAt)
        // The first check runs about a second after start; the client cannot start earlier.
        XCTAssertGreaterThan(clientStarted.timeIntervalSince(webStarted), 0.8)
    }

    func testHealthyDependencyWithoutHealthCheckIsRefusedAtLaunch() throws {
        // web has no health check, so it can never be HEALTHY: the client would hang in PENDING.
        let web = ContainerSpec(name: "web", image: "busybox", command: ["sleep", "100"], initProcessEnabled: true)
        var client = ContainerSpec(name: "client", image: "busybox", command: ["sleep", "100"], initProcessEnabled: true)
        client.dependsOn = [.init(containerName: "web", condition: .healthy)]
        XCTAssertThrowsError(try fixture.runtime.launch(TaskSpec(containers: [client, web]))) { error in
            guard case .invalidSpec(let field, _)? = error as? RuntimeError else {
                return XCTFail("expected invalidSpec, got \(error)")
            }
            XCTAssertEqual(field, "containers[0].dependsOn[0].condition")
        }
        XCTAssertEqual(fixture.runtime.tasks().count, 0, "a refused spec created a task")
    }
}
