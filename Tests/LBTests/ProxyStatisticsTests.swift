import Foundation
import LB
import WharfTestSupport
import XCTest

/// What real traffic leaves in `statistics.snapshot` and in the Prometheus exposition.
final class ProxyStatisticsTests: ProxyTestCase {
    func testKnownTrafficShowsPerListenerGroupAndTarget() throws {
        let backends = try startBackends(2)
        let port = try FreePort.pick()
        var config = TestLBConfig.simple(port: port, targets: backends.map(\.port))
        config.groups[0].healthCheck.enabled = false
        let balancer = try startBalancer(config)

        // 20 × 200, 5 × 404 and 3 × 500 from the targets; 2 × 400 from the load balancer.
        let connection = try TestConnection(port: port)
        for index in 0..<20 { XCTAssertEqual(try connection.get("/ok-\(index)").status, 200) }
        for _ in 0..<5 { XCTAssertEqual(try connection.get("/status?code=404").status, 404) }
        for _ in 0..<3 { XCTAssertEqual(try connection.get("/status?code=500").status, 500) }
        connection.close()
        for _ in 0..<2 {
            let bad = try TestConnection(port: port)
            try bad.send("GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
            XCTAssertEqual(try bad.readResponse().status, 400)
        }

        let snapshot = settledStatistics(balancer) { snapshot in
            guard let listener = snapshot.listeners.first(where: { $0.name == "front" }) else { return false }
            return listener.traffic.counts.requests == 28 && listener.traffic.counts.lbErrors.badRequest == 2
                && listener.traffic.activeConnections == 0
        }
        let listener = try snapshot.listener("front").traffic
        XCTAssertEqual(listener.counts.requests, 28, "requests whose head parsed")
        XCTAssertEqual(listener.counts.responses.successful, 20)
        XCTAssertEqual(listener.counts.responses.clientError, 5)
        XCTAssertEqual(listener.counts.responses.serverError, 3)
        XCTAssertEqual(listener.counts.lbErrors.badRequest, 2)
        XCTAssertEqual(listener.counts.connectionsOpened, 3)
        XCTAssertEqual(listener.activeConnections, 0)
        XCTAssertGreaterThan(listener.counts.bytesReceived, 28 * 20)
        XCTAssertGreaterThan(listener.counts.bytesSent, 30 * 40)
        // Latency histograms reach the hub once their 10 s slice ends; their sums right away.
        XCTAssertGreaterThan(listener.counts.requestDurationMicroseconds, 0)

        let group = try snapshot.group("web")
        XCTAssertEqual(group.traffic.counts.requests, 28)
        XCTAssertEqual(group.traffic.statusCodes, [
            StatusCodeCount(code: 200, count: 20), StatusCodeCount(code: 404, count: 5), StatusCodeCount(code: 500, count: 3),
        ])
        XCTAssertGreaterThan(group.traffic.counts.targetResponseMicroseconds, 0)
        XCTAssertEqual(group.targets.count, 2)
        var perTarget: [String: UInt64] = [:]
        for target in group.targets {
            perTarget[target.key] = target.traffic.counts.requests
            XCTAssertEqual(target.traffic.counts.responses.total, target.traffic.counts.requests)
        }
        // Round robin over one connection: 14 each; the backends counted the same.
        for backend in backends {
            XCTAssertEqual(perTarget["127.0.0.1:\(backend.port)"], 14, "\(perTarget)")
            XCTAssertEqual(try backend.requestCount(), 14)
        }

        let text = PrometheusExposition.render(snapshot)
        let first = try XCTUnwrap(group.targets.first)
        for line in [
            "wharf_lb_listener_requests_total{listener=\"front\"} 28",
            "wharf_lb_listener_responses_total{listener=\"front\",code_class=\"2xx\"} 20",
            "wharf_lb_listener_responses_total{listener=\"front\",code_class=\"5xx\"} 3",
            "wharf_lb_listener_lb_errors_total{listener=\"front\",code=\"400\"} 2",
            "wharf_lb_target_group_requests_total{target_group=\"web\"} 28",
            "wharf_lb_target_group_responses_total{target_group=\"web\",code=\"404\",code_class=\"4xx\"} 5",
            "wharf_lb_target_requests_total{target_group=\"web\",target=\"\(first.key)\",target_id=\"\(first.id)\"} 14",
            "wharf_lb_listener_connections_total{listener=\"front\"} 3",
        ] {
            XCTAssertTrue(text.contains(line + "\n"), "missing from /metrics: \(line)")
        }
    }
}
