import Foundation
import XCTest
import WharfTestSupport

/// A task whose image is not on the host is pulled from a registry on first use, through
/// `wharf serve` and the real AWS CLI: a real `docker-registry` on loopback (listed insecure in
/// the daemon's `registries.json`), the busybox image pushed to it with skopeo. A wrong tag
/// stops its task with ECS's `CannotPullContainerError`.
final class ServePullTests: XCTestCase {
    private var daemon: ServeDaemon?
    private var registry: LocalRegistry?

    override func tearDown() {
        registry?.remove()
        daemon?.remove()
    }

    func testImagePulledOnFirstUseAndMissingTagFailsTheTask() throws {
        let missingTools = LocalRegistry.Configuration().missingTools
        guard missingTools.isEmpty else {
            throw XCTSkip("\(missingTools.joined(separator: ", ")) not installed (scripts/setup.sh installs them)")
        }
        let daemon = try ServeDaemon()
        self.daemon = daemon
        let registry = try LocalRegistry()
        self.registry = registry
        let port = registry.port
        try registry.push(layout: BusyboxImage.layout(), to: "team/busybox:1.0")

        // The daemon's store has no image at all; the registry is reachable over plain HTTP only
        // because it is listed insecure.
        try #"{"registries": {"127.0.0.1:\#(port)": {"insecure": true}}}"#
            .write(toFile: daemon.dataDirectory + "/registries.json", atomically: true, encoding: .utf8)
        try daemon.start(config: "region: us-east-1\naccountId: \"123456789012\"\n")

        let image = "127.0.0.1:\(port)/team/busybox"
        let good = try runTask(daemon, family: "pulled", image: image + ":1.0")
        let running = try eventually(timeout: 60) { () -> [String: Any]? in
            let task = try self.describe(daemon, good)
            return task["lastStatus"] as? String == "RUNNING" ? task : nil
        }
        let pullStarted = try XCTUnwrap(running["pullStartedAt"] as? Double)
        let pullStopped = try XCTUnwrap(running["pullStoppedAt"] as? Double)
        XCTAssertLessThanOrEqual(pullStarted, pullStopped)

        let bad = try runTask(daemon, family: "missing", image: image + ":nope")
        let stopped = try eventually(timeout: 60) { () -> [String: Any]? in
            let task = try self.describe(daemon, bad)
            return task["lastStatus"] as? String == "STOPPED" ? task : nil
        }
        let reason = stopped["stoppedReason"] as? String ?? ""
        XCTAssertTrue(reason.hasPrefix("CannotPullContainerError:"), reason)
        XCTAssertTrue(reason.contains("nope"), reason)

        XCTAssertEqual(try daemon.aws(["ecs", "stop-task", "--task", good]).status, 0)
    }

    private func runTask(_ daemon: ServeDaemon, family: String, image: String) throws -> String {
        let path = daemon.dataDirectory + "/\(family).json"
        try """
            {"family": "\(family)", "networkMode": "awsvpc", "containerDefinitions": [{"name": "main", "image": "\(image)",
              "memory": 32, "essential": true, "command": ["sleep", "3600"]}]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try daemon.aws(["ecs", "register-task-definition", "--cli-input-json", "file://" + path]).status, 0)
        let ran = try daemon.awsJSON(["ecs", "run-task", "--task-definition", family,
                                      "--network-configuration", "awsvpcConfiguration={subnets=[subnet-wharf]}"])
        return try XCTUnwrap((ran["tasks"] as? [[String: Any]])?.first?["taskArn"] as? String, "\(ran)")
    }

    private func describe(_ daemon: ServeDaemon, _ task: String) throws -> [String: Any] {
        let described = try daemon.awsJSON(["ecs", "describe-tasks", "--tasks", task])
        return (described["tasks"] as? [[String: Any]])?.first ?? [:]
    }
}
