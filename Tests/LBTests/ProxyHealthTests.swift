import Foundation
import LB
import WharfTestSupport
import XCTest

/// Active health checks against real backends: thresholds, ALB's reasons, the history
/// `describeTargetHealth` keeps, and fail-open when every target is unhealthy.
final class ProxyHealthTests: ProxyTestCase {
    /// Interval 5 s (ALB's minimum), timeout 2 s, both thresholds 2, matcher 200: the target
    /// leaves after the second failed check and comes back after the second passing one.
    func testFailingBackendGoesUnhealthyAfterThresholdAndComesBack() throws {
        let backends = try startBackends(2)
        let (good, flaky) = (backends[0], backends[1])
        let port = try FreePort.pick()
        let balancer = try startBalancer(.simple(port: port, targets: backends.map(\.port), workers: 1))
        try waitUntil(balancer, allAre: .healthy)
        XCTAssertEqual(try traffic(port: port, requests: 10), ["b0": 5, "b1": 5])

        try flaky.set(health: 500)
        // First failure: still healthy (one failure is below unhealthyThresholdCount).
        XCTAssertTrue(try eventually(timeout: 7) { try health(balancer, port: flaky.port).history.last?.passed == false })
        var described = try health(balancer, port: flaky.port)
        XCTAssertEqual(described.state, .healthy)
        XCTAssertNil(described.reason)
        XCTAssertEqual(try traffic(port: port, requests: 4), ["b0": 2, "b1": 2], "one failed check does not take a target out")

        // Second failure: unhealthy, with ALB's reason and description.
        XCTAssertTrue(try eventually(timeout: 7) { try health(balancer, port: flaky.port).state == .unhealthy })
        described = try health(balancer, port: flaky.port)
        XCTAssertEqual(described.reason, .responseCodeMismatch)
        XCTAssertEqual(described.reason?.rawValue, "Target.ResponseCodeMismatch")
        XCTAssertEqual(described.description, "Health checks failed with these codes: [500]")
        let history = described.history
        XCTAssertGreaterThanOrEqual(history.count, 3)
        XCTAssertEqual(history.suffix(2).map(\.status), [500, 500])
        XCTAssertEqual(history.suffix(2).map(\.passed), [false, false])
        XCTAssertEqual(history.first?.status, 200)
        XCTAssertEqual(history.first?.passed, true)
        XCTAssertEqual(history.map(\.time), history.map(\.time).sorted(), "history is oldest first")
        XCTAssertGreaterThanOrEqual(history[history.count - 1].time - history[history.count - 2].time, 4.5, "checks are an interval apart")
        XCTAssertEqual(try health(balancer, port: good.port).state, .healthy)

        // No traffic while unhealthy.
        let flakyBefore = try flaky.requestCount()
        XCTAssertEqual(try traffic(port: port, requests: 20), ["b0": 20])
        XCTAssertEqual(try flaky.requestCount(), flakyBefore)

        // One pass is not enough to come back (healthyThresholdCount 2) ...
        try flaky.set(health: 200)
        XCTAssertTrue(try eventually(timeout: 7) { try health(balancer, port: flaky.port).history.last?.passed == true })
        described = try health(balancer, port: flaky.port)
        XCTAssertEqual(described.state, .unhealthy)
        XCTAssertEqual(try traffic(port: port, requests: 6), ["b0": 6])

        // ... the second is.
        XCTAssertTrue(try eventually(timeout: 7) { try health(balancer, port: flaky.port).state == .healthy })
        described = try health(balancer, port: flaky.port)
        XCTAssertNil(described.reason)
        XCTAssertNil(described.description)
        let back = try traffic(port: port, requests: 20)
        XCTAssertEqual(back.values.reduce(0, +), 20)
        XCTAssertTrue((9...11).contains(back["b1"] ?? 0), "the recovered target takes its share again: \(back)")
    }

    /// ALB: "If a target group contains only unhealthy registered targets, the load balancer
    /// routes requests to all those targets, regardless of their health status."
    func testAllUnhealthyFailsOpen() throws {
        let backends = try (0..<2).map { try startBackend("b\($0)", health: 503) }
        let port = try FreePort.pick()
        let balancer = try startBalancer(.simple(port: port, targets: backends.map(\.port), workers: 1))

        // The first failed check leaves them `initial`, the second makes them unhealthy.
        XCTAssertTrue(try eventually(timeout: 2) { try balancer.registry.describeTargetHealth(group: "web").allSatisfy { $0.history.count == 1 } })
        for target in try balancer.registry.describeTargetHealth(group: "web") {
            XCTAssertEqual(target.state, .initial)
            XCTAssertEqual(target.reason, .initialHealthChecking)
        }
        try waitUntil(balancer, allAre: .unhealthy)
        for target in try balancer.registry.describeTargetHealth(group: "web") {
            XCTAssertEqual(target.reason, .responseCodeMismatch)
            XCTAssertEqual(target.description, "Health checks failed with these codes: [503]")
        }
        let seen = try traffic(port: port, requests: 10)
        XCTAssertEqual(seen, ["b0": 5, "b1": 5], "requests reach every target when all are unhealthy")
    }

    /// Sends `requests` GETs on one keep-alive connection; counts answers per backend (or per
    /// status when not 200).
    private func traffic(port: Int, requests: Int) throws -> [String: Int] {
        let connection = try TestConnection(port: port)
        var counts: [String: Int] = [:]
        for _ in 0..<requests {
            let response = try connection.get("/")
            let key = response.status == 200 ? response.backend ?? "no backend" : "status \(response.status)"
            counts[key, default: 0] += 1
        }
        return counts
    }
}
