import ControlPlane
import Foundation
import WharfTestSupport
import XCTest

/// Target tracking on request rate end to end: a service behind the load balancer, a load step
/// through the LB, scale-out within seconds with every request answered, and scale-in once the
/// load stops, all through the real AWS CLI against `wharf serve`.
final class ServeAutoscalingTests: ServeDaemonTestCase {
    private var lbPort = 0

    override func setUpWithError() throws {
        try super.setUpWithError()
        lbPort = try FreePort.pick()
    }

    func testLoadStepScalesOutAndBackIn() throws {
        let daemon = try XCTUnwrap(daemon)
        try daemon.importBusybox()
        try daemon.start(config: """
            region: us-east-1
            accountId: "123456789012"
            autoscaling:
              scaleInStabilizationSeconds: 10
            loadBalancer:
              workers: 1
              listeners:
                - name: web
                  bindAddress: 127.0.0.1
                  port: \(lbPort)
                  defaultTargetGroup: web
              targetGroups:
                - name: web
                  deregistrationDelaySeconds: 1
                  healthCheck:
                    intervalSeconds: 2
                    timeoutSeconds: 1
                    healthyThresholdCount: 2
                    unhealthyThresholdCount: 2
            """)
        let targetGroup = LBTargetRegistrar.arn(group: "web", region: "us-east-1", accountID: "123456789012")
        let groupID = targetGroup.split(separator: "/").last.map(String.init) ?? ""
        let definition = daemon.dataDirectory + "/td.json"
        try """
            {"family": "web", "networkMode": "awsvpc", "cpu": "256", "memory": "128",
             "containerDefinitions": [{"name": "web", "image": "busybox", "essential": true,
               "command": ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"],
               "portMappings": [{"containerPort": 8080}]}]}
            """.write(toFile: definition, atomically: true, encoding: .utf8)
        XCTAssertEqual(try daemon.aws(["ecs", "register-task-definition", "--cli-input-json", "file://" + definition]).status, 0)
        let created = try daemon.aws([
            "ecs", "create-service", "--cluster", "default", "--service-name", "web", "--task-definition", "web",
            "--desired-count", "1", "--load-balancers", "targetGroupArn=\(targetGroup),containerName=web,containerPort=8080",
            "--network-configuration", "awsvpcConfiguration={subnets=[subnet-wharf]}",
        ])
        XCTAssertEqual(created.status, 0, created.stderr)
        _ = try eventually(timeout: 60) { try self.counts(daemon).running == 1 ? true : nil }

        let registered = try daemon.aws([
            "application-autoscaling", "register-scalable-target", "--service-namespace", "ecs",
            "--resource-id", "service/default/web", "--scalable-dimension", "ecs:service:DesiredCount",
            "--min-capacity", "1", "--max-capacity", "3",
        ])
        XCTAssertEqual(registered.status, 0, registered.stderr)
        // 5 requests per task per second (300 a minute, as AWS counts ALBRequestCountPerTarget).
        let policy = daemon.dataDirectory + "/policy.json"
        try """
            {"TargetValue": 300, "PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget",
             "ResourceLabel": "app/wharf/0000000000000000/targetgroup/web/\(groupID)"}}
            """.write(toFile: policy, atomically: true, encoding: .utf8)
        let put = try daemon.aws([
            "application-autoscaling", "put-scaling-policy", "--service-namespace", "ecs", "--resource-id", "service/default/web",
            "--scalable-dimension", "ecs:service:DesiredCount", "--policy-name", "requests", "--policy-type", "TargetTrackingScaling",
            "--target-tracking-scaling-policy-configuration", "file://" + policy,
        ])
        XCTAssertEqual(put.status, 0, put.stderr)

        // A load step (about 40 requests a second against a target of 5 per task): out to the maximum.
        let load = LoadLoop(port: lbPort)
        let stepAt = Date()
        load.start()
        _ = try eventually(timeout: 20) { try self.counts(daemon).desired == 3 ? true : nil }
        let decidedAfter = Date().timeIntervalSince(stepAt)
        _ = try eventually(timeout: 40) { try self.counts(daemon).running == 3 ? true : nil }
        // Once their first health checks pass, the new tasks answer through the LB.
        let answers = try eventually(timeout: 20) { () -> Set<String>? in
            let seen = Set((0..<30).compactMap { _ in HTTPGet.get(port: self.lbPort).map(\.body) })
            return seen.count == 3 ? seen : nil
        }
        XCTAssertEqual(answers.count, 3)
        load.stop()
        XCTAssertEqual(load.failures, 0, "requests failed during scale-out: \(load.failureSamples)")
        print("autoscaling: scale-out decided \(String(format: "%.1f", decidedAfter)) s after the load step")

        // The load stops: back to the minimum after the stabilization window.
        _ = try eventually(timeout: 60) { try self.counts(daemon).desired == 1 ? true : nil }
        let activities = try daemon.awsJSON(["application-autoscaling", "describe-scaling-activities", "--service-namespace", "ecs"])
        let list = activities["ScalingActivities"] as? [[String: Any]] ?? []
        XCTAssertGreaterThanOrEqual(list.count, 2, "\(list)")
        XCTAssertTrue(list.allSatisfy { ($0["Cause"] as? String)?.isEmpty == false })
        XCTAssertTrue(list.contains { $0["StatusCode"] as? String == "Successful" })
    }

    private func counts(_ daemon: ServeDaemon) throws -> (desired: Int, running: Int) {
        let described = try daemon.awsJSON(["ecs", "describe-services", "--cluster", "default", "--services", "web"])
        let service = (described["services"] as? [[String: Any]])?.first ?? [:]
        return (service["desiredCount"] as? Int ?? -1, service["runningCount"] as? Int ?? -1)
    }
}
