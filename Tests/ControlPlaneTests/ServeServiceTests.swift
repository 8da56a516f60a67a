import ControlPlane
import Foundation
import Synchronization
import WharfTestSupport
import XCTest

/// A service behind the built-in load balancer, driven end to end by the real AWS CLI against
/// `wharf serve`: created, stable, reachable on every task, a killed task replaced, a rolling
/// update, a daemon restart that keeps every task, bad requests refused, then deleted.
final class ServeServiceTests: ServeDaemonTestCase {
    private var lbPort = 0

    override func setUpWithError() throws {
        try super.setUpWithError()
        lbPort = try FreePort.pick()
    }

    private var config: String {
        """
        region: us-east-1
        accountId: "123456789012"
        loadBalancer:
          workers: 1
          listeners:
            - name: web
              bindAddress: 127.0.0.1
              port: \(lbPort)
              protocol: HTTP
              defaultTargetGroup: web
          targetGroups:
            - name: web
              deregistrationDelaySeconds: 2
              healthCheck:
                path: /
                intervalSeconds: 2
                timeoutSeconds: 1
                healthyThresholdCount: 2
                unhealthyThresholdCount: 2
        """
    }

    private func taskDefinition(version: String) -> String {
        """
        {"family": "web", "networkMode": "awsvpc", "cpu": "256", "memory": "128",
         "containerDefinitions": [{"name": "web", "image": "busybox", "essential": true,
           "command": ["sh", "-c", "mkdir -p /www && echo \\"$(hostname) \(version)\\" > /www/index.html && exec httpd -f -p 8080 -h /www"],
           "portMappings": [{"containerPort": 8080}]}]}
        """
    }

    func testServiceBehindLoadBalancerFromCreateToDelete() throws {
        let daemon = try XCTUnwrap(daemon)
        try daemon.importBusybox()
        try daemon.start(config: config)
        let targetGroup = LBTargetRegistrar.arn(group: "web", region: "us-east-1", accountID: "123456789012")

        try register(taskDefinition(version: "v1"), daemon)
        let created = try daemon.awsJSON([
            "ecs", "create-service", "--cluster", "default", "--service-name", "web", "--task-definition", "web",
            "--desired-count", "2", "--load-balancers", "targetGroupArn=\(targetGroup),containerName=web,containerPort=8080",
            "--network-configuration", "awsvpcConfiguration={subnets=[subnet-wharf]}",
            "--health-check-grace-period-seconds", "10",
        ])
        let service = try XCTUnwrap(created["service"] as? [String: Any])
        XCTAssertEqual(service["serviceArn"] as? String, "arn:aws:ecs:us-east-1:123456789012:service/default/web")
        XCTAssertEqual(service["status"] as? String, "ACTIVE")
        XCTAssertEqual((service["deployments"] as? [[String: Any]])?.first?["rolloutState"] as? String, "IN_PROGRESS")

        try waitUntilStable(daemon, taskDefinition: "web:1", timeout: 90)
        let waited = try daemon.aws(["ecs", "wait", "services-stable", "--cluster", "default", "--services", "web"])
        XCTAssertEqual(waited.status, 0, waited.stderr)

        // The dashboard shows the service and its targets; /metrics counts its tasks.
        let page = try XCTUnwrap(HTTPGet.get(port: daemon.dashboardPort, path: "/api/dashboard.json"))
        XCTAssertEqual(page.status, 200)
        let snapshot = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
        let shown = (snapshot["services"] as? [[String: Any]])?.first { $0["name"] as? String == "web" }
        XCTAssertEqual(shown?["runningCount"] as? Int, 2, page.body)
        let metrics = try XCTUnwrap(HTTPGet.get(port: daemon.dashboardPort, path: "/metrics"))
        XCTAssertTrue(metrics.body.contains(#"wharf_service_running_tasks{cluster="default",service="web"} 2"#), metrics.body)

        // Every task answers through the load balancer.
        let firstTasks = try runningTasks(daemon)
        XCTAssertEqual(firstTasks.count, 2)
        XCTAssertEqual(Set(try bodies(count: 30)).count, 2, "both tasks answer through the LB")

        // Load runs from here on; not one request may fail.
        let load = LoadLoop(port: lbPort)
        load.start()

        // A task whose process dies is replaced.
        try killOneTaskProcess(daemon)
        let replaced = try eventually(timeout: 60) { () -> Set<String>? in
            let now = try self.runningTasks(daemon)
            return try (now.count == 2 && now != firstTasks && self.isStable(daemon, taskDefinition: "web:1")) ? now : nil
        }
        XCTAssertEqual(replaced.intersection(firstTasks).count, 1)
        let events = try describe(daemon)["events"] as? [[String: Any]] ?? []
        XCTAssertTrue(events.contains { ($0["message"] as? String)?.contains("has started 1 tasks") == true }, "\(events)")

        // A rolling update onto a new revision.
        try register(taskDefinition(version: "v2"), daemon)
        let updated = try daemon.aws(["ecs", "update-service", "--cluster", "default", "--service", "web", "--task-definition", "web:2"])
        XCTAssertEqual(updated.status, 0, updated.stderr)
        try waitUntilStable(daemon, taskDefinition: "web:2", timeout: 120)
        XCTAssertTrue(try bodies(count: 10).allSatisfy { $0.contains("v2") })
        let afterUpdate = try runningTasks(daemon)
        XCTAssertTrue(afterUpdate.isDisjoint(with: replaced))

        // A restart of the daemon keeps every task, and the LB reaches them again.
        load.pause()
        XCTAssertEqual(load.failures, 0, "requests failed during replacement and rollout: \(load.failureSamples)")
        daemon.stop()
        try daemon.start(config: config)
        let reachable = try eventually(timeout: 30) { () -> Set<String>? in
            let answers = Set(try self.bodies(count: 10, tolerateFailures: true))
            return answers.count == 2 ? answers : nil
        }
        XCTAssertEqual(reachable.count, 2)
        Thread.sleep(forTimeInterval: 3)
        XCTAssertEqual(try runningTasks(daemon), afterUpdate, "the restart kept the same tasks")
        load.resume()
        Thread.sleep(forTimeInterval: 2)
        load.stop()
        XCTAssertEqual(load.failures, 0, "requests failed after the restart: \(load.failureSamples)")
        XCTAssertGreaterThan(load.successes, 50)

        // Bad requests change nothing.
        let badGroup = try daemon.aws([
            "ecs", "create-service", "--cluster", "default", "--service-name", "web2", "--task-definition", "web", "--desired-count", "1",
            "--load-balancers", "targetGroupArn=arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0,containerName=web,containerPort=8080",
            "--network-configuration", "awsvpcConfiguration={subnets=[subnet-wharf]}",
        ])
        XCTAssertTrue(badGroup.stderr.contains("InvalidParameterException"), badGroup.stderr)
        let duplicate = try daemon.aws([
            "ecs", "create-service", "--cluster", "default", "--service-name", "web", "--task-definition", "web", "--desired-count", "1",
            "--network-configuration", "awsvpcConfiguration={subnets=[subnet-wharf]}",
        ])
        XCTAssertTrue(duplicate.stderr.contains("InvalidParameterException"), duplicate.stderr)
        let missing = try daemon.aws(["ecs", "update-service", "--cluster", "default", "--service", "nope", "--desired-count", "1"])
        XCTAssertTrue(missing.stderr.contains("ServiceNotFoundException"), missing.stderr)
        let unforced = try daemon.aws(["ecs", "delete-service", "--cluster", "default", "--service", "web"])
        XCTAssertTrue(unforced.stderr.contains("InvalidParameterException"), unforced.stderr)
        let listed = try daemon.awsJSON(["ecs", "list-services", "--cluster", "default"])
        XCTAssertEqual(listed["serviceArns"] as? [String], ["arn:aws:ecs:us-east-1:123456789012:service/default/web"])

        // Delete: DRAINING, then INACTIVE once the tasks are gone.
        let deleted = try daemon.awsJSON(["ecs", "delete-service", "--cluster", "default", "--service", "web", "--force"])
        XCTAssertEqual((deleted["service"] as? [String: Any])?["status"] as? String, "DRAINING")
        _ = try eventually(timeout: 60) { () -> Bool? in
            (try self.describe(daemon)["status"] as? String) == "INACTIVE" ? true : nil
        }
        XCTAssertTrue(try runningTasks(daemon).isEmpty)

        // A cluster holding a service is not deleted until the service is.
        XCTAssertEqual(try daemon.aws(["ecs", "create-cluster", "--cluster-name", "e2e"]).status, 0)
        let idle = try daemon.aws([
            "ecs", "create-service", "--cluster", "e2e", "--service-name", "idle", "--task-definition", "web", "--desired-count", "0",
            "--network-configuration", "awsvpcConfiguration={subnets=[subnet-wharf]}",
        ])
        XCTAssertEqual(idle.status, 0, idle.stderr)
        let refused = try daemon.aws(["ecs", "delete-cluster", "--cluster", "e2e"])
        XCTAssertTrue(refused.stderr.contains("ClusterContainsServicesException"), refused.stderr)
        XCTAssertEqual(try daemon.aws(["ecs", "delete-service", "--cluster", "e2e", "--service", "idle"]).status, 0)
        _ = try eventually(timeout: 20) { () -> Bool? in
            try daemon.aws(["ecs", "delete-cluster", "--cluster", "e2e"]).status == 0 ? true : nil
        }
    }

    // MARK: Helpers

    private func register(_ json: String, _ daemon: ServeDaemon) throws {
        let path = daemon.dataDirectory + "/td.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try daemon.aws(["ecs", "register-task-definition", "--cli-input-json", "file://" + path])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    private func describe(_ daemon: ServeDaemon) throws -> [String: Any] {
        let described = try daemon.awsJSON(["ecs", "describe-services", "--cluster", "default", "--services", "web"])
        return (described["services"] as? [[String: Any]])?.first ?? [:]
    }

    private func isStable(_ daemon: ServeDaemon, taskDefinition: String) throws -> Bool {
        let service = try describe(daemon)
        let deployments = service["deployments"] as? [[String: Any]] ?? []
        return deployments.count == 1
            && (deployments.first?["rolloutState"] as? String) == "COMPLETED"
            && (deployments.first?["taskDefinition"] as? String)?.hasSuffix(":task-definition/\(taskDefinition)") == true
            && service["runningCount"] as? Int == service["desiredCount"] as? Int
    }

    private func waitUntilStable(_ daemon: ServeDaemon, taskDefinition: String, timeout: TimeInterval) throws {
        _ = try eventually(timeout: timeout) { () -> Bool? in
            try self.isStable(daemon, taskDefinition: taskDefinition) ? true : nil
        }
    }

    private func runningTasks(_ daemon: ServeDaemon) throws -> Set<String> {
        let listed = try daemon.awsJSON(["ecs", "list-tasks", "--cluster", "default", "--service-name", "web", "--desired-status", "RUNNING"])
        return Set(listed["taskArns"] as? [String] ?? [])
    }

    private func bodies(count: Int, tolerateFailures: Bool = false) throws -> [String] {
        var result: [String] = []
        for _ in 0..<count {
            guard let response = HTTPGet.get(port: lbPort), response.status == 200 else {
                if tolerateFailures { continue }
                XCTFail("a request through the LB failed")
                continue
            }
            result.append(response.body.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result
    }

    /// Kills the `httpd` of one of the test's tasks, found by its cgroup.
    private func killOneTaskProcess(_ daemon: ServeDaemon) throws {
        let pids = (try FileManager.default.contentsOfDirectory(atPath: "/proc")).compactMap(Int32.init)
        for pid in pids {
            guard let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
                  comm.trimmingCharacters(in: .whitespacesAndNewlines) == "httpd",
                  let cgroup = try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8),
                  cgroup.contains(daemon.cgroupParent) else { continue }
            kill(pid, SIGKILL)
            return
        }
        XCTFail("no httpd process of this test's tasks was found")
    }

}

/// Requests through the LB on a thread of their own, every 20 ms, counting failures.
final class LoadLoop: @unchecked Sendable {
    private let port: Int
    private let state = Mutex<(successes: Int, failures: Int, samples: [String], paused: Bool, stopped: Bool)>((0, 0, [], false, false))
    private var thread: Thread?

    init(port: Int) { self.port = port }

    var successes: Int { state.withLock { $0.successes } }
    var failures: Int { state.withLock { $0.failures } }
    var failureSamples: [String] { state.withLock { $0.samples } }

    func start() {
        let thread = Thread { [self] in
            while true {
                let (paused, stopped) = state.withLock { ($0.paused, $0.stopped) }
                if stopped { return }
                if !paused {
                    let response = HTTPGet.get(port: port)
                    state.withLock { state in
                        if let response, response.status == 200 {
                            state.successes += 1
                        } else {
                            state.failures += 1
                            if state.samples.count < 5 { state.samples.append(response.map { "\($0.status) \($0.body)" } ?? "no response") }
                        }
                    }
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        self.thread = thread
        thread.start()
    }

    /// Stops sending and waits for the request under way.
    func pause() {
        state.withLock { $0.paused = true }
        Thread.sleep(forTimeInterval: 0.3)
    }

    func resume() { state.withLock { $0.paused = false } }

    func stop() {
        state.withLock { $0.stopped = true }
        Thread.sleep(forTimeInterval: 0.3)
    }
}
