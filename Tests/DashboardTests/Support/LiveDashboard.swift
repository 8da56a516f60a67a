import Dashboard
import Foundation
import LB
import WharfIO
import WharfTestSupport

/// A real load balancer on loopback serving the dashboard: proxy listener `front` in front of
/// group `web`, whose targets are the balancer's own `backend` application listener (passes
/// its health checks) and a port nothing listens on (fails them). The ECS parts come from
/// ``Fixtures``. ``stop()`` shuts everything down.
final class LiveDashboard: @unchecked Sendable {
    /// Seconds to wait for both targets to settle (two checks 5 s apart, plus slack).
    static let settleTimeoutSeconds = 20.0

    let balancer: LoadBalancer
    let source: WharfDashboardSource
    let frontPort: Int
    let backendPort: Int
    let deadPort: Int
    let dashboardPort: Int

    init() throws {
        frontPort = try FreePort.pick()
        backendPort = try FreePort.pick()
        deadPort = try FreePort.pick()
        dashboardPort = try FreePort.pick()
        let yaml = """
        workers: 2
        listeners:
          - name: front
            bindAddress: 127.0.0.1
            port: \(frontPort)
            protocol: HTTP
            defaultTargetGroup: web
        targetGroups:
          - name: web
            healthCheck:
              path: /health
              intervalSeconds: 5
              timeoutSeconds: 2
              healthyThresholdCount: 2
              unhealthyThresholdCount: 2
            targets:
              - address: 127.0.0.1
                port: \(backendPort)
              - address: 127.0.0.1
                port: \(deadPort)
        timeouts:
          shutdownGrace: 2
        """
        balancer = LoadBalancer(configuration: try LBConfiguration.parse(yaml, source: "dashboard-test"))
        let history = TaskCountHistory()
        let now = Date().timeIntervalSince1970
        // The web service's counts over the last hour, as the sampler would have seen them.
        for (ago, running, desired) in [(3500.0, 1, 1), (2400.0, 1, 3), (2380.0, 2, 3), (2360.0, 3, 3), (900.0, 3, 2), (880.0, 2, 2), (300.0, 3, 3)] {
            history.record(service: "demo/web", running: running, desired: desired, at: now - ago)
        }
        source = WharfDashboardSource(balancer: balancer, provider: FixtureProvider(section: Fixtures.ecsSection(now: now)), taskCounts: history)
        try balancer.addApplicationListener(name: "backend", address: "127.0.0.1:\(backendPort)", application: EchoApplication())
        try balancer.addApplicationListener(
            name: "dashboard", address: "127.0.0.1:\(dashboardPort)", application: DashboardApplication(source: source))
        try balancer.start()
    }

    func stop() {
        balancer.shutdown(grace: 1)
    }

    /// Waits until the backend is healthy and the dead port unhealthy; false on timeout.
    func waitUntilSettled() throws -> Bool {
        let deadline = Date().addingTimeInterval(Self.settleTimeoutSeconds)
        while Date() < deadline {
            let targets = try balancer.registry.describeTargetHealth(group: "web")
            let backend = targets.first { $0.port == backendPort }?.state
            let dead = targets.first { $0.port == deadPort }?.state
            if backend == .healthy, dead == .unhealthy { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }

    /// Seconds the hub may take to count requests (workers merge every 250 ms).
    static let statisticsTimeoutSeconds = 5.0

    /// Waits until group `web` has counted `count` requests; false on timeout.
    func waitForRequests(_ count: UInt64) -> Bool {
        let deadline = Date().addingTimeInterval(Self.statisticsTimeoutSeconds)
        while Date() < deadline {
            let groups = balancer.statistics.snapshot(now: balancer.now()).targetGroups
            if groups.first(where: { $0.name == "web" })?.traffic.counts.requests == count { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// Sends `count` requests through the proxy listener; returns how many got a 200.
    func sendTraffic(count: Int) throws -> Int {
        var answered = 0
        for _ in 0..<count where try HTTPTestClient.request(port: frontPort, path: "/hello").status == 200 {
            answered += 1
        }
        return answered
    }
}

/// The backend behind the proxy: 200 `hello` for every request (and health check).
final class EchoApplication: HTTPApplication {
    var maxRequestBodyBytes: Int { 1024 }

    func handle(_ request: HTTPServerRequest, respond: @escaping @Sendable (HTTPServerResponse) -> Void) {
        respond(HTTPServerResponse(status: 200, contentType: "text/plain", body: "hello\n"))
    }
}
