import Foundation
import WharfTestSupport
import XCTest

/// Bridge mode through the real AWS CLI: a task definition without `networkMode` (ECS's EC2
/// default, bridge) publishes its container ports on the host, a dynamic one and an asked-for
/// one; DescribeTasks shows them as `networkBindings`; the host reaches the task on them; a
/// second task asking for the same host port cannot be placed (RESOURCE:PORTS); stopping the
/// task unpublishes them. Traffic goes to 127.0.0.1 only.
final class ServeBridgeModeTests: ServeDaemonTestCase {
    private let config = "region: us-east-1\naccountId: \"123456789012\"\n"

    func testBridgeModePublishesPortsAndReportsTheirBindings() throws {
        let daemon = try XCTUnwrap(daemon)
        try daemon.importBusybox()
        try daemon.start(config: config)
        let staticPort = try FreePort.pick()
        let registered = try daemon.registerTaskDefinition(family: "bridged", json: """
            {"family": "bridged", "containerDefinitions": [{"name": "web", "image": "busybox", "memory": 32, "essential": true,
              "command": ["sh", "-c", "mkdir -p /www && echo bridged > /www/index.html && exec httpd -f -p 8080 -h /www"],
              "portMappings": [{"containerPort": 8080}, {"containerPort": 8080, "hostPort": \(staticPort)}]}]}
            """)
        XCTAssertEqual(registered.status, 0, registered.stderr)

        let ran = try daemon.awsJSON(["ecs", "run-task", "--task-definition", "bridged"])
        let arn = try XCTUnwrap((ran["tasks"] as? [[String: Any]])?.first?["taskArn"] as? String, "\(ran)")
        let task = try daemon.waitForTask(arn, in: ["RUNNING"], timeout: 30)
        let container = try XCTUnwrap((task["containers"] as? [[String: Any]])?.first)
        XCTAssertEqual((container["networkInterfaces"] as? [Any])?.count, 0, "a bridge task has no ENI: \(container)")
        XCTAssertNil(task["attachments"].flatMap { ($0 as? [Any])?.isEmpty == false ? $0 : nil }, "no ENI attachment: \(task)")
        let bindings = try XCTUnwrap(container["networkBindings"] as? [[String: Any]], "\(container)")
        XCTAssertEqual(bindings.count, 2, "\(bindings)")
        let hostPorts = bindings.compactMap { $0["hostPort"] as? Int }
        XCTAssertEqual(hostPorts.count, 2)
        XCTAssertTrue((49153...65535).contains(hostPorts[0]), "dynamic host port \(hostPorts[0])")
        XCTAssertEqual(hostPorts[1], staticPort)
        for binding in bindings {
            XCTAssertEqual(binding["containerPort"] as? Int, 8080)
            XCTAssertEqual(binding["bindIP"] as? String, "0.0.0.0")
            XCTAssertEqual(binding["protocol"] as? String, "tcp")
        }
        for port in hostPorts {
            let answer = try eventually(timeout: 10) { HTTPGet.get(port: port).flatMap { $0.status == 200 ? $0 : nil } }
            XCTAssertEqual(answer.body, "bridged\n", "127.0.0.1:\(port)")
        }

        // The asked-for host port is the host's only one: a second task cannot be placed.
        let second = try daemon.awsJSON(["ecs", "run-task", "--task-definition", "bridged"])
        XCTAssertEqual((second["tasks"] as? [Any])?.count, 0, "\(second)")
        let reasons = (second["failures"] as? [[String: Any]])?.compactMap { $0["reason"] as? String } ?? []
        XCTAssertEqual(reasons, ["RESOURCE:PORTS"], "\(second)")

        let stopped = try daemon.aws(["ecs", "stop-task", "--task", arn])
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        _ = try daemon.waitForTask(arn, in: ["STOPPED"], timeout: 40)
        for port in hostPorts {
            XCTAssertNil(HTTPGet.get(port: port, timeout: 1), "127.0.0.1:\(port) still answers after the task stopped")
        }
    }
}
