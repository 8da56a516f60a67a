import Dashboard
import LB
import XCTest

/// The target-group section and the chart built from a load balancer's registry and statistics
/// (not started: health results are recorded by the test, so every figure is known).
final class LoadBalancerSectionTests: XCTestCase {
    static let wallNow = 1_763_780_000.0

    private func makeBalancer() throws -> LoadBalancer {
        let yaml = """
        listeners:
          - name: front
            bindAddress: 127.0.0.1
            port: 18080
            protocol: HTTP
            defaultTargetGroup: web
        targetGroups:
          - name: web
            healthCheck:
              intervalSeconds: 5
              healthyThresholdCount: 2
              unhealthyThresholdCount: 2
            targets:
              - address: 10.0.0.5
                port: 80
              - address: 10.0.0.6
                port: 80
          - name: idle
            targets: []
        """
        return LoadBalancer(configuration: try LBConfiguration.parse(yaml, source: "test"))
    }

    func testTargetsCarryStateReasonAndRecentChecksFailingFirst() throws {
        let balancer = try makeBalancer()
        let targets = try balancer.registry.describeTargetHealth(group: "web")
        let good = try XCTUnwrap(targets.first { $0.address == "10.0.0.5" }).id
        let bad = try XCTUnwrap(targets.first { $0.address == "10.0.0.6" }).id
        let base = balancer.now()
        balancer.registry.record(check: .success(status: 200, duration: 0.0015), for: good, at: base)
        balancer.registry.record(check: .success(status: 200, duration: 0.0025), for: good, at: base + 0.01)
        balancer.registry.record(check: .success(status: 200, duration: 0.001), for: bad, at: base)
        balancer.registry.record(check: .statusMismatch(status: 500, duration: 0.003), for: bad, at: base + 0.01)
        balancer.registry.record(check: .connectionFailed(errno: 111, reason: "connect: Connection refused"), for: bad, at: base + 0.02)

        let section = LoadBalancerSection(balancer: balancer, wallClock: { Self.wallNow })
        let groups = section.targetGroups()
        XCTAssertEqual(groups.map(\.name), ["web", "idle"])
        let web = groups[0]
        XCTAssertEqual(web.targets.map(\.address), ["10.0.0.6", "10.0.0.5"], "the failing target comes first")
        let failing = web.targets[0]
        XCTAssertEqual(failing.state, "unhealthy")
        XCTAssertEqual(failing.reason, "Target.FailedHealthChecks")
        XCTAssertTrue(failing.isFailing)
        XCTAssertEqual(failing.recentChecks.map(\.passed), [true, false, false])
        XCTAssertEqual(failing.recentChecks.map(\.status), [200, 500, nil])
        XCTAssertEqual(failing.recentChecks[1].latencyMilliseconds ?? 0, 3, accuracy: 1e-9)
        XCTAssertNil(failing.recentChecks[2].latencyMilliseconds)
        XCTAssertEqual(failing.recentChecks[2].detail, "failed: connect: Connection refused (errno 111)")
        // Monotonic times become wall-clock times (the section reads the clock a moment later).
        XCTAssertEqual(failing.recentChecks[2].time, Self.wallNow, accuracy: 1)
        XCTAssertLessThan(failing.recentChecks[0].time, failing.recentChecks[2].time)
        let healthy = web.targets[1]
        XCTAssertEqual(healthy.state, "healthy")
        XCTAssertNil(healthy.reason)
        XCTAssertEqual(healthy.recentChecks.compactMap(\.latencyMilliseconds), [1.5, 2.5])
        XCTAssertEqual(web.requestsTotal, 0)
        XCTAssertEqual(web.responseTime, .empty)
        XCTAssertEqual(groups[1].targets, [])
    }

    func testChartPairsRequestRateWithRecordedTaskCounts() throws {
        let balancer = try makeBalancer()
        let history = TaskCountHistory()
        history.record(service: "demo/web", running: 2, desired: 2, at: Self.wallNow - 1000)
        history.record(service: "demo/web", running: 4, desired: 5, at: Self.wallNow - 100)
        let section = LoadBalancerSection(balancer: balancer, wallClock: { Self.wallNow })
        let services = [
            DashboardService(cluster: "demo", name: "web", status: "ACTIVE", desiredCount: 5, runningCount: 4, pendingCount: 1, taskDefinition: "web:1", targetGroups: ["web"]),
            DashboardService(cluster: "demo", name: "batch", status: "ACTIVE", desiredCount: 1, runningCount: 1, pendingCount: 0, taskDefinition: "batch:1"),
        ]
        let charts = section.charts(for: services, taskCounts: history)
        XCTAssertEqual(charts.count, 1, "only services behind a target group get a chart")
        let chart = try XCTUnwrap(charts.first)
        XCTAssertEqual(chart.service, "demo/web")
        XCTAssertEqual(chart.targetGroup, "web")
        XCTAssertEqual(chart.stepSeconds, 10)
        XCTAssertEqual(chart.points.count, 360)
        XCTAssertEqual(chart.points.last?.time ?? 0, Self.wallNow - 10, accuracy: 1.01)
        XCTAssertEqual(chart.points.first?.time ?? 0, Self.wallNow - 3600, accuracy: 1.01)
        XCTAssertTrue(chart.points.allSatisfy { $0.requestsPerSecond == 0 }, "no traffic went through")
        XCTAssertTrue(zip(chart.points, chart.points.dropFirst()).allSatisfy { $1.time - $0.time == 10 })
        for point in chart.points {
            let end = point.time + 10
            if end < Self.wallNow - 1000 {
                XCTAssertNil(point.runningTasks)
            } else if end < Self.wallNow - 100 {
                XCTAssertEqual(point.runningTasks, 2)
            } else {
                XCTAssertEqual(point.runningTasks, 4)
                XCTAssertEqual(point.desiredTasks, 5)
            }
        }
    }
}
