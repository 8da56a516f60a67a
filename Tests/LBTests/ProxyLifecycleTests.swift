import Foundation
import LB
import WharfTestSupport
import XCTest

/// Targets leaving (draining), configuration reloads while clients run, and a graceful shutdown.
final class ProxyLifecycleTests: ProxyTestCase {
    /// Deregistration: the in-flight request finishes, new requests go elsewhere. With a
    /// deregistration delay shorter than the request, the connection is closed when the delay
    /// ends (ALB's behaviour).
    func testDrainingFinishesInFlightRequestsAndCutsThemAtTheDelay() throws {
        let backends = try startBackends(4)
        let keepPort = try FreePort.pick()
        let cutPort = try FreePort.pick()
        var config = TestLBConfig(
            listeners: [
                .init(name: "keep", port: keepPort, group: "keep"),
                .init(name: "cut", port: cutPort, group: "cut"),
            ],
            groups: [
                .init(name: "keep", targets: [(backends[0].port, 1), (backends[1].port, 1)], deregistrationDelaySeconds: 30),
                .init(name: "cut", targets: [(backends[2].port, 1), (backends[3].port, 1)], deregistrationDelaySeconds: 1),
            ]
        )
        config.workers = 1
        let balancer = try startBalancer(config)
        try waitUntil(balancer, group: "keep", allAre: .healthy)
        try waitUntil(balancer, group: "cut", allAre: .healthy)

        // A 2.5 s request through each listener.
        let keepResult = Shared<Result<TestResponse, TestClientError>?>(nil)
        let cutResult = Shared<(Result<TestResponse, TestClientError>, Double)?>(nil)
        let keepRequest = BackgroundTask {
            let result = Self.capture { try TestRequest.fetch(port: keepPort, "/delay?ms=2500") }
            keepResult.withLock { $0 = result }
        }
        let cutStarted = Date()
        let cutRequest = BackgroundTask {
            let result = Self.capture { try TestRequest.fetch(port: cutPort, "/delay?ms=2500") }
            cutResult.withLock { $0 = (result, Date().timeIntervalSince(cutStarted)) }
        }
        let keepSlow = try busyBackend(backends[0], backends[1])
        let cutSlow = try busyBackend(backends[2], backends[3])
        let keepOther = keepSlow === backends[0] ? backends[1] : backends[0]
        let cutOther = cutSlow === backends[2] ? backends[3] : backends[2]

        try balancer.registry.deregister(group: "keep", id: try health(balancer, group: "keep", port: keepSlow.port).id, now: balancer.now())
        try balancer.registry.deregister(group: "cut", id: try health(balancer, group: "cut", port: cutSlow.port).id, now: balancer.now())
        let draining = try health(balancer, group: "keep", port: keepSlow.port)
        XCTAssertEqual(draining.state, .draining)
        XCTAssertEqual(draining.reason, .deregistrationInProgress)
        XCTAssertNotNil(draining.drainingUntil)

        // New requests avoid the draining targets (the snapshot reaches the worker at once, but
        // give it a moment).
        Thread.sleep(forTimeInterval: 0.1)
        for index in 0..<6 {
            XCTAssertEqual(try TestRequest.fetch(port: keepPort, "/new-\(index)").backend, keepOther.name)
            XCTAssertEqual(try TestRequest.fetch(port: cutPort, "/new-\(index)").backend, cutOther.name)
        }

        XCTAssertTrue(keepRequest.wait(timeout: 10))
        XCTAssertTrue(cutRequest.wait(timeout: 10))
        switch keepResult.value {
        case .success(let response)?:
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.backend, keepSlow.name, "the in-flight request finished on the draining target")
        case .failure(let error)?: XCTFail("the in-flight request on a draining target failed: \(error)")
        case nil: XCTFail("no result")
        }
        // Delay 1 s: the target is removed after it and its connection closed, long before
        // the backend would have answered.
        switch cutResult.value {
        case (.success(let response), _)?:
            XCTFail("the request outlived the deregistration delay: \(response.status) from \(response.backend ?? "?")")
        case (.failure(let error), let elapsed)?:
            guard case .closed = error else { return XCTFail("expected the connection to close, got \(error)") }
            XCTAssertLessThan(elapsed, 2.3, "closed when the 1 s delay ended, not when the backend answered")
            XCTAssertGreaterThan(elapsed, 0.8)
        case nil: XCTFail("no result")
        }
        XCTAssertFalse(try balancer.registry.describeTargetHealth(group: "cut").contains { $0.port == cutSlow.port }, "removed after the delay")
        XCTAssertEqual(try health(balancer, group: "keep", port: keepSlow.port).state, .draining, "still draining (30 s)")
        XCTAssertEqual(try keepSlow.stats().paths["/delay"], 1)
        XCTAssertNil(try keepSlow.stats().paths["/new-0"])
    }

    /// Reload adds a target and drains another while four clients send requests: no client
    /// sees an error. A reload that changes a listener's port is refused and changes nothing.
    func testReloadUnderLoadAndRefusedReload() throws {
        let backends = try startBackends(3)
        let port = try FreePort.pick()
        var config = TestLBConfig.simple(port: port, targets: [backends[0].port, backends[1].port])
        config.groups[0].deregistrationDelaySeconds = 1
        let balancer = try startBalancer(config)
        try waitUntil(balancer, allAre: .healthy)

        let stop = Shared(false)
        let failures = Shared<[String]>([])
        let counts = Shared<[String: Int]>([:])
        let load = BackgroundTask {
            runConcurrently(4) { client in
                var connection: TestConnection?
                var index = 0
                while !stop.value {
                    index += 1
                    do {
                        if connection == nil { connection = try TestConnection(port: port) }
                        let response = try connection!.get("/reload-\(client)-\(index)")
                        if response.status != 200 { failures.withLock { $0.append("status \(response.status): \(response.text)") } }
                        counts.withLock { $0[response.backend ?? "?", default: 0] += 1 }
                        if response.closesConnection { connection = nil }
                    } catch {
                        failures.withLock { $0.append("client \(client) request \(index): \(error)") }
                        connection = nil
                    }
                }
            }
        }
        Thread.sleep(forTimeInterval: 0.5)
        var next = config
        next.groups[0].targets = [(backends[0].port, 1), (backends[2].port, 1)]
        try balancer.reload(configuration: next.parsed())
        Thread.sleep(forTimeInterval: 0.3)
        let drainedCount = try backends[1].requestCount()
        Thread.sleep(forTimeInterval: 1.7)
        stop.withLock { $0 = true }
        XCTAssertTrue(load.wait(timeout: 20))

        XCTAssertEqual(failures.value, [], "no client error during the reload")
        let seen = counts.value
        XCTAssertGreaterThan(seen["b2"] ?? 0, 20, "the added target takes traffic: \(seen)")
        XCTAssertGreaterThan(seen["b1"] ?? 0, 0, "the drained target had traffic before: \(seen)")
        XCTAssertEqual(try backends[1].requestCount(), drainedCount, "no request reached the drained target once it was draining")
        let ports = try balancer.registry.describeTargetHealth(group: "web").map(\.port).sorted()
        XCTAssertEqual(ports, [backends[0].port, backends[2].port].sorted(), "drained target removed after its 1 s delay")

        // A listener's port cannot change without a restart: refused, and the running
        // configuration keeps serving.
        var bad = next
        bad.listeners[0].port = try FreePort.pick()
        bad.groups[0].targets = [(backends[1].port, 1)]
        XCTAssertThrowsError(try balancer.reload(configuration: bad.parsed())) { error in
            guard case LoadBalancerError.reloadRefused(let field, _) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(field, "listeners[0]")
        }
        XCTAssertEqual(try balancer.registry.describeTargetHealth(group: "web").map(\.port).sorted(), ports, "nothing changed")
        for index in 0..<4 {
            let response = try TestRequest.fetch(port: port, "/after-refused-\(index)")
            XCTAssertEqual(response.status, 200)
            XCTAssertNotEqual(response.backend, "b1")
        }
        XCTAssertThrowsError(try TestConnection(port: bad.listeners[0].port), "the refused port was never opened")
    }

    /// `shutdown(grace:)`: listeners close at once (new connections refused), idle keep-alive
    /// connections close, the in-flight request completes, then `shutdown` returns.
    func testGracefulShutdownCompletesInFlightRequestAndRefusesNewConnections() throws {
        let backend = try startBackend("b0")
        let port = try FreePort.pick()
        let balancer = try startBalancer(.simple(port: port, targets: [backend.port]))
        try waitUntil(balancer, allAre: .healthy)

        let idle = try TestConnection(port: port)
        XCTAssertEqual(try idle.get("/warm").status, 200)

        let slowResult = Shared<Result<TestResponse, TestClientError>?>(nil)
        let slow = BackgroundTask {
            let result = Self.capture { try TestRequest.fetch(port: port, "/delay?ms=1500") }
            slowResult.withLock { $0 = result }
        }
        XCTAssertTrue(try eventually(timeout: 5) { try backend.stats().paths["/delay"] == 1 })

        let shutdownStarted = Date()
        let shutdownDuration = Shared<Double?>(nil)
        let stopping = BackgroundTask {
            balancer.shutdown(grace: 10)
            shutdownDuration.withLock { $0 = Date().timeIntervalSince(shutdownStarted) }
        }
        // New connections are refused while the slow request is still running.
        let refused = eventually(timeout: 1) {
            do {
                _ = try TestConnection(port: port, timeout: 1)
                return false
            } catch TestClientError.connect(_, let code) {
                return code == ECONNREFUSED
            } catch {
                return false
            }
        }
        XCTAssertTrue(refused, "new connections are refused once shutdown begins")
        XCTAssertNil(slowResult.value, "the slow request is still running")
        XCTAssertTrue(idle.waitForClose(timeout: 1), "idle keep-alive connections close at once")

        XCTAssertTrue(stopping.wait(timeout: 15))
        XCTAssertTrue(slow.wait(timeout: 1))
        switch slowResult.value {
        case .success(let response)?:
            XCTAssertEqual(response.status, 200)
            XCTAssertTrue(response.closesConnection)
        case .failure(let error)?: XCTFail("the in-flight request failed: \(error)")
        case nil: XCTFail("no result")
        }
        let duration = try XCTUnwrap(shutdownDuration.value)
        XCTAssertGreaterThan(duration, 1.0, "shutdown waited for the request")
        XCTAssertLessThan(duration, 5, "and returned once it was done, not at the 10 s grace")
        XCTAssertThrowsError(try TestConnection(port: port, timeout: 1))
    }

    // MARK: Helpers

    /// Which of two backends has received the `/delay` request.
    private func busyBackend(_ first: Backend, _ second: Backend) throws -> Backend {
        var busy: Backend?
        let found = try eventually(timeout: 5) {
            if try first.stats().paths["/delay"] == 1 { busy = first }
            if try second.stats().paths["/delay"] == 1 { busy = second }
            return busy != nil
        }
        XCTAssertTrue(found, "no backend received the slow request")
        return try XCTUnwrap(busy)
    }

    static func capture(_ body: () throws -> TestResponse) -> Result<TestResponse, TestClientError> {
        do {
            return .success(try body())
        } catch let error as TestClientError {
            return .failure(error)
        } catch {
            return .failure(.malformed("\(error)"))
        }
    }
}
