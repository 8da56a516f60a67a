import Foundation
import LB
import Synchronization
import WharfTestSupport
import XCTest

/// How requests are spread over targets, and what happens when a target dies: round robin,
/// least outstanding requests, passive ejection, retries.
final class ProxyBalancingTests: ProxyTestCase {
    func testRoundRobinSpreadsEvenlyOverThreeBackends() throws {
        let backends = try startBackends(3)
        let port = try FreePort.pick()
        let balancer = try startBalancer(.simple(port: port, targets: backends.map(\.port), workers: 1))
        try waitUntil(balancer, allAre: .healthy)

        // Three keep-alive clients at once, 100 requests each.
        let counts = Shared<[String: Int]>([:])
        let failures = Shared<[String]>([])
        runConcurrently(3) { _ in
            do {
                let connection = try TestConnection(port: port)
                for _ in 0..<100 {
                    let response = try connection.get("/")
                    guard response.status == 200, let backend = response.backend else {
                        failures.withLock { $0.append("status \(response.status)") }
                        continue
                    }
                    counts.withLock { $0[backend, default: 0] += 1 }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        let seen = counts.withLock { $0 }
        XCTAssertEqual(seen.values.reduce(0, +), 300)
        for backend in backends {
            let count = seen[backend.name] ?? 0
            XCTAssertTrue((99...101).contains(count), "\(backend.name) got \(count) of 300 requests: \(seen)")
            XCTAssertEqual(try backend.requestCount(), count, "the backend's own count of \(backend.name)")
        }
    }

    func testLeastOutstandingRequestsPrefersTheFastBackend() throws {
        let fast = try startBackend("fast")
        let slow = try startBackend("slow")
        try slow.set(delayMilliseconds: 300)
        let port = try FreePort.pick()
        let balancer = try startBalancer(.simple(port: port, targets: [fast.port, slow.port], algorithm: "least_outstanding_requests", workers: 1))
        try waitUntil(balancer, allAre: .healthy)

        let counts = Shared<[String: Int]>([:])
        let failures = Shared<[String]>([])
        runConcurrently(6) { _ in
            do {
                let connection = try TestConnection(port: port)
                for _ in 0..<15 {
                    let response = try connection.get("/")
                    counts.withLock { $0[response.backend ?? "status \(response.status)", default: 0] += 1 }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        let seen = counts.withLock { $0 }
        let fastCount = seen["fast"] ?? 0
        let slowCount = seen["slow"] ?? 0
        XCTAssertEqual(fastCount + slowCount, 90, "\(seen)")
        // Round robin would give each half (45). The slow backend keeps about one request in
        // flight, 300 ms each, while the fast one serves the rest (measured: 78 to 12).
        XCTAssertGreaterThanOrEqual(fastCount, 70, "least outstanding requests should favour the fast backend: \(seen)")
        XCTAssertGreaterThan(slowCount, 0, "the slow backend still gets requests when the fast one is busy: \(seen)")
    }

    func testKilledBackendIsEjectedPassivelyBeforeAnyActiveCheck() throws {
        let backends = try startBackends(2)
        let port = try FreePort.pick()
        var config = TestLBConfig.simple(port: port, targets: backends.map(\.port), workers: 1)
        config.groups[0].healthCheck.intervalSeconds = 60
        config.groups[0].healthCheck.timeoutSeconds = 5
        let balancer = try startBalancer(config)
        try waitUntil(balancer, allAre: .healthy)
        let dead = backends[1]
        dead.kill()

        for index in 0..<20 {
            let response = try TestRequest.fetch(port: port, "/after-kill-\(index)")
            XCTAssertEqual(response.status, 200, "request \(index)")
            XCTAssertEqual(response.backend, "b0", "request \(index)")
        }
        // Three refused connections in a row (consecutiveGatewayFailures) eject the target; each
        // of those requests was retried on the live one. After that, no attempt goes to it.
        let targetID = try health(balancer, port: dead.port).id.rawValue
        let snapshot = settledStatistics(balancer) { (try? $0.target("web", id: targetID).traffic.counts.passiveEjections) == 1 }
        let counts = try snapshot.target("web", id: targetID).traffic.counts
        XCTAssertEqual(counts.passiveEjections, 1)
        XCTAssertEqual(counts.requests, 3, "attempts sent to the dead target")
        XCTAssertEqual(counts.retries, 3, "every failed attempt was retried")
        // The active checker has not looked again (interval 60 s): the ejection was passive.
        XCTAssertEqual(try health(balancer, port: dead.port).state, .healthy)
        XCTAssertEqual(try backends[0].requestCount(), 20)
    }

    /// A POST is not idempotent, but one whose connection was refused never reached a target:
    /// it is sent to another, body and all, even when the body streams (1 MB, larger than a buffer).
    func testUploadWhoseConnectionIsRefusedIsSentToAnotherTarget() throws {
        let backends = try startBackends(2)
        let port = try FreePort.pick()
        var config = TestLBConfig.simple(port: port, targets: backends.map(\.port), workers: 1)
        config.groups[0].healthCheck.intervalSeconds = 60
        config.groups[0].healthCheck.timeoutSeconds = 5
        let balancer = try startBalancer(config)
        try waitUntil(balancer, allAre: .healthy)
        let dead = backends[1]
        dead.kill()

        let body = BodyPattern.bytes(count: 1_000_000)
        let connection = try TestConnection(port: port)
        for index in 0..<4 {
            try connection.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: \(body.count)\r\n\r\n")
            try connection.send(body)
            let response = try connection.readResponse()
            XCTAssertEqual(response.status, 200, "upload \(index)")
            XCTAssertEqual(response.backend, "b0", "upload \(index)")
            XCTAssertTrue(response.text.hasSuffix("pattern=ok\n"), "upload \(index): \(response.text)")
        }
        let targetID = try health(balancer, port: dead.port).id.rawValue
        let snapshot = settledStatistics(balancer) { (try? $0.target("web", id: targetID).traffic.counts.retries) == 2 }
        XCTAssertEqual(try snapshot.target("web", id: targetID).traffic.counts.retries, 2, "every other upload was refused and retried")
        XCTAssertEqual(try backends[0].stats().paths["/upload"], 4)
    }

    func testKillingABackendUnderLoadCausesNoClientErrors() throws {
        let backends = try startBackends(2)
        let port = try FreePort.pick()
        var config = TestLBConfig.simple(port: port, targets: backends.map(\.port))
        config.groups[0].healthCheck.intervalSeconds = 60
        config.groups[0].healthCheck.timeoutSeconds = 5
        let balancer = try startBalancer(config)
        try waitUntil(balancer, allAre: .healthy)

        let stop = Shared<Bool>(false)
        let responses = Shared<[String: Int]>([:])
        let failures = Shared<[String]>([])
        let load = BackgroundTask {
            runConcurrently(4) { client in
                var connection: TestConnection?
                var count = 0
                while !stop.value {
                    do {
                        if connection == nil { connection = try TestConnection(port: port) }
                        let response = try connection!.get("/load-\(client)-\(count)")
                        count += 1
                        if response.status != 200 {
                            failures.withLock { $0.append("client \(client): status \(response.status) \(response.text)") }
                        }
                        responses.withLock { $0[response.backend ?? "none", default: 0] += 1 }
                        if response.closesConnection { connection = nil }
                    } catch {
                        failures.withLock { $0.append("client \(client) request \(count): \(error)") }
                        connection = nil
                    }
                }
            }
        }
        Thread.sleep(forTimeInterval: 0.7)
        let beforeKill = responses.withLock { $0 }
        backends[1].kill()
        Thread.sleep(forTimeInterval: 1.3)
        stop.withLock { $0 = true }
        XCTAssertTrue(load.wait(timeout: 20), "the clients did not finish")

        XCTAssertEqual(failures.withLock { $0 }, [], "every request must succeed while a backend dies")
        XCTAssertGreaterThan(beforeKill["b1"] ?? 0, 0, "the killed backend served requests before: \(beforeKill)")
        let total = responses.withLock { $0 }
        XCTAssertGreaterThan(total.values.reduce(0, +), 200, "\(total)")
        let afterKill = (total["b0"] ?? 0) - (beforeKill["b0"] ?? 0)
        XCTAssertGreaterThan(afterKill, 50, "the live backend took over: \(total)")
    }
}
