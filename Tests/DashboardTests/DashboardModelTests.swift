import Dashboard
import Foundation
import XCTest

/// The snapshot's JSON form and the alerts the page shows first.
final class DashboardModelTests: XCTestCase {
    private func fixtureSnapshot() -> DashboardSnapshot {
        let ecs = Fixtures.ecsSection()
        return DashboardSnapshot(
            generatedAt: Fixtures.now, clusters: ecs.clusters, services: ecs.services, tasks: ecs.tasks,
            targetGroups: [Fixtures.targetGroup], scalingActivities: ecs.scalingActivities
        ).withAlerts()
    }

    func testJSONRoundTripsAndHasTheDocumentedShape() throws {
        let snapshot = fixtureSnapshot()
        let bytes = try DashboardJSON.encode(snapshot)
        XCTAssertEqual(try DashboardJSON.decode(bytes), snapshot)

        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix(#"{"alerts":["#), "keys are sorted: \(text.prefix(40))")
        XCTAssertTrue(text.contains(#""generatedAt":1763780000"#))
        XCTAssertTrue(text.contains(#""desiredCount":3,"events":["#))
        XCTAssertTrue(text.contains(#""reason":"Target.ResponseCodeMismatch""#))
        XCTAssertTrue(text.contains(#""latencyMilliseconds":1.1,"passed":false,"status":500"#))
        XCTAssertTrue(text.contains(#""responseTime":{"count":2400,"p50":1.2,"p90":3.4,"p99":9.8}"#))

        // Absent optionals are left out, not null.
        XCTAssertFalse(text.contains("null"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let groups = try XCTUnwrap(object["targetGroups"] as? [[String: Any]])
        let targets = try XCTUnwrap(groups.first?["targets"] as? [[String: Any]])
        XCTAssertEqual(targets.count, 2)
        XCTAssertNil(targets[1]["reason"], "a healthy target has no reason code")
        XCTAssertEqual(targets[1]["state"] as? String, "healthy")
        let tasks = try XCTUnwrap(object["tasks"] as? [[String: Any]])
        let stopped = try XCTUnwrap(tasks.first { $0["lastStatus"] as? String == "STOPPED" })
        let container = try XCTUnwrap((stopped["containers"] as? [[String: Any]])?.first)
        XCTAssertEqual(container["exitCode"] as? Int, 137)
        XCTAssertEqual(stopped["stopCode"] as? String, "EssentialContainerExited")
    }

    func testFailingTargetIsTheFirstAlertAndShortServiceAWarning() {
        let alerts = fixtureSnapshot().alerts
        XCTAssertEqual(alerts.map(\.severity), [.critical, .warning])
        XCTAssertEqual(alerts[0].subject, "target-group/web/10.88.0.6:80")
        XCTAssertEqual(
            alerts[0].message,
            "target 10.88.0.6:80 is unhealthy (Target.ResponseCodeMismatch): Health checks failed with these codes: [500]")
        XCTAssertEqual(alerts[1].subject, "service/demo/worker")
        XCTAssertEqual(alerts[1].message, "1 of 2 desired tasks running (1 pending)")
    }

    func testGroupWithoutHealthyTargetFailedRolloutAndUnhealthyTaskAreCritical() {
        var group = Fixtures.targetGroup
        group.targets[1].state = "unhealthy"
        group.targets[1].reason = "Target.Timeout"
        var ecs = Fixtures.ecsSection()
        ecs.services[0].deployments[0].rolloutState = "FAILED"
        ecs.services[0].deployments[0].rolloutStateReason = "tasks failed to start"
        ecs.tasks[0].healthStatus = "UNHEALTHY"
        let snapshot = DashboardSnapshot(
            generatedAt: Fixtures.now, services: ecs.services, tasks: ecs.tasks, targetGroups: [group]
        ).withAlerts()
        let messages = snapshot.alerts.map { "\($0.severity.rawValue) \($0.subject): \($0.message)" }
        XCTAssertEqual(messages, [
            "critical target-group/web/10.88.0.6:80: target 10.88.0.6:80 is unhealthy (Target.ResponseCodeMismatch): Health checks failed with these codes: [500]",
            "critical target-group/web/10.88.0.5:80: target 10.88.0.5:80 is unhealthy (Target.Timeout)",
            "critical target-group/web: no healthy target: requests are spread over all targets (fail-open)",
            "critical service/demo/web: deployment ecs-svc/1111 (web:7) failed: tasks failed to start",
            "critical service/demo/web: task 3c1d5e7f9a0b4c2d is UNHEALTHY",
            "warning service/demo/worker: 1 of 2 desired tasks running (1 pending)",
        ])
    }

    func testNothingToFlagGivesNoAlerts() {
        var ecs = Fixtures.ecsSection()
        ecs.services.removeLast()
        var group = Fixtures.targetGroup
        group.targets.removeFirst()
        let snapshot = DashboardSnapshot(generatedAt: Fixtures.now, services: ecs.services, tasks: ecs.tasks, targetGroups: [group]).withAlerts()
        XCTAssertEqual(snapshot.alerts, [])
    }
}
