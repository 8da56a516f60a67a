import Dashboard
import Foundation
import LB
import XCTest

/// The dashboard served by a real load balancer on loopback: routes, status codes, and the
/// JSON and metrics built from live health checks and traffic.
final class DashboardServingTests: XCTestCase {
    func testRoutesAndLiveData() throws {
        let live = try LiveDashboard()
        defer { live.stop() }
        XCTAssertTrue(try live.waitUntilSettled(), "backend healthy and dead port unhealthy within \(LiveDashboard.settleTimeoutSeconds) s")
        XCTAssertEqual(try live.sendTraffic(count: 25), 25)
        XCTAssertTrue(live.waitForRequests(25), "the statistics hub counted the requests")
        let port = live.dashboardPort

        let page = try HTTPTestClient.request(port: port, path: "/")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertEqual(page.headers["cache-control"], "no-store")
        XCTAssertTrue(page.headers["content-security-policy"]?.hasPrefix("default-src 'none'") ?? false)
        XCTAssertTrue(page.text.contains("<title>Wharf dashboard</title>"))
        XCTAssertFalse(page.text.contains("http://") || page.text.contains("https://"), "the page loads nothing from elsewhere")
        XCTAssertFalse(page.text.contains("<script src") || page.text.contains("<link"), "no external scripts or styles")

        let json = try HTTPTestClient.request(port: port, path: "/api/dashboard.json")
        XCTAssertEqual(json.status, 200)
        XCTAssertEqual(json.headers["content-type"], "application/json; charset=utf-8")
        let snapshot = try DashboardJSON.decode(json.body)
        XCTAssertEqual(snapshot.services.map(\.name), ["web", "worker"])
        let web = try XCTUnwrap(snapshot.targetGroups.first { $0.name == "web" })
        XCTAssertEqual(web.targets.map(\.port), [live.deadPort, live.backendPort], "the failing target first")
        XCTAssertEqual(web.targets[0].state, "unhealthy")
        XCTAssertEqual(web.targets[0].reason, "Target.FailedHealthChecks")
        XCTAssertEqual(web.targets[1].state, "healthy")
        XCTAssertGreaterThanOrEqual(web.targets[1].recentChecks.count, 1)
        XCTAssertTrue(web.targets[1].recentChecks.allSatisfy { $0.passed && $0.status == 200 && $0.latencyMilliseconds != nil })
        XCTAssertEqual(web.requestsTotal, 25)
        XCTAssertLessThanOrEqual(web.responseTime.count, 25, "latency percentiles cover complete 10-s slices of these requests")
        XCTAssertEqual(snapshot.alerts.first?.subject, "target-group/web/127.0.0.1:\(live.deadPort)")
        let chart = try XCTUnwrap(snapshot.charts.first)
        XCTAssertEqual(chart.service, "demo/web")
        XCTAssertEqual(chart.points.last?.runningTasks, 3)
        XCTAssertEqual(snapshot.tasks.count, 2)

        let metrics = try HTTPTestClient.request(port: port, path: "/metrics")
        XCTAssertEqual(metrics.status, 200)
        XCTAssertEqual(metrics.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8")
        XCTAssertTrue(metrics.text.contains(#"wharf_lb_target_group_requests_total{target_group="web"} 25"#), metrics.text)
        XCTAssertTrue(metrics.text.contains(#"wharf_service_desired_tasks{cluster="demo",service="web"} 3"#))
        XCTAssertTrue(metrics.text.contains(#"wharf_tasks{cluster="demo",state="RUNNING"} 1"#))
        XCTAssertFalse(metrics.text.contains(#"state="STOPPED""#), "stopped tasks are not counted")
        XCTAssertTrue(
            metrics.text.contains(#"wharf_autoscaling_recent_activities{resource_id="service/demo/web",status="Successful"} 1"#))

        let health = try HTTPTestClient.request(port: port, path: "/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(health.text, "ok\n")

        XCTAssertEqual(try HTTPTestClient.request(port: port, path: "/nope").status, 404)
        XCTAssertEqual(try HTTPTestClient.request(port: port, path: "/api/dashboard.json/x").status, 404)
        let post = try HTTPTestClient.request(port: port, method: "POST", path: "/api/dashboard.json", body: "")
        XCTAssertEqual(post.status, 405)
        XCTAssertEqual(post.headers["allow"], "GET, HEAD")
        XCTAssertEqual(try HTTPTestClient.request(port: port, method: "DELETE", path: "/").status, 405)
        let head = try HTTPTestClient.request(port: port, method: "HEAD", path: "/healthz")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, [])
        XCTAssertEqual(try HTTPTestClient.request(port: port, path: "/healthz?probe=1").status, 200, "the query is not part of the path")
    }
}
