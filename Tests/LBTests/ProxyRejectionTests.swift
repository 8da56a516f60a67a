import Foundation
import LB
import WharfTestSupport
import XCTest

/// What the load balancer refuses: slow heads, malformed requests (answered by the LB itself,
/// never forwarded) and targets that break HTTP framing.
final class ProxyRejectionTests: ProxyTestCase {
    private var backend: Backend!
    private var port = 0

    @discardableResult
    private func start(timeouts: [(String, Double)] = [], limits: [(String, Int)] = []) throws -> LoadBalancer {
        backend = try startBackend("b0")
        port = try FreePort.pick()
        var config = TestLBConfig.simple(port: port, targets: [backend.port])
        config.groups[0].healthCheck.enabled = false
        config.timeouts += timeouts
        config.limits = limits
        return try startBalancer(config)
    }

    func testSlowHeadGets408AfterClientHeaderReadAndIsClosed() throws {
        try start(timeouts: [("clientHeaderRead", 1.5)])
        let connection = try TestConnection(port: port)
        let head = Array("GET /slow HTTP/1.1\r\nHost: test\r\nX-Padding: aaaaaaaaaaaaaaaaaaaa\r\n\r\n".utf8)
        let started = Date()
        var sent = 0
        // One byte per second until the load balancer answers.
        while sent < head.count {
            try connection.send([head[sent]])
            sent += 1
            if connection.hasInput(within: 1) { break }
        }
        let response = try connection.readResponse()
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(response.status, 408)
        XCTAssertTrue(response.closesConnection)
        XCTAssertLessThan(sent, head.count, "answered before the head was complete")
        XCTAssertGreaterThan(elapsed, 1.3, "not before clientHeaderRead (1.5 s)")
        XCTAssertLessThan(elapsed, 3.0, "soon after clientHeaderRead (1.5 s)")
        XCTAssertTrue(connection.waitForClose(timeout: 2), "the connection is closed after the 408")
        XCTAssertEqual(try backend.requestCount(), 0)
    }

    func testMalformedRequestsAreAnsweredByTheParserAndNeverForwarded() throws {
        let balancer = try start(limits: [("maxRequestLineLength", 2048), ("maxHeaderFieldLength", 1024), ("maxHeadLength", 4096)])
        let cases: [(name: String, request: String, status: Int)] = [
            ("Content-Length with Transfer-Encoding", "POST /x HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
            ("bad chunk size", "POST /x HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400),
            ("header longer than maxHeadLength", "GET /x HTTP/1.1\r\nHost: test\r\nX-Long: \(String(repeating: "a", count: 5000))\r\n\r\n", 431),
            ("header field longer than maxHeaderFieldLength", "GET /x HTTP/1.1\r\nHost: test\r\nX-Long: \(String(repeating: "a", count: 1100))\r\n\r\n", 431),
            ("request line longer than maxRequestLineLength", "GET /\(String(repeating: "p", count: 3000)) HTTP/1.1\r\nHost: test\r\n\r\n", 414),
            ("HTTP/1.1 without Host", "GET /x HTTP/1.1\r\nAccept: */*\r\n\r\n", 400),
            ("two Host fields", "GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            ("obsolete line folding", "GET /x HTTP/1.1\r\nHost: test\r\nX-Folded: a\r\n b\r\n\r\n", 400),
            ("conflicting Content-Length", "POST /x HTTP/1.1\r\nHost: test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
            ("unsupported version", "GET /x HTTP/2.0\r\nHost: test\r\n\r\n", 505),
            ("transfer coding other than chunked", "POST /x HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
            ("unknown expectation", "POST /x HTTP/1.1\r\nHost: test\r\nExpect: teapot\r\nContent-Length: 0\r\n\r\n", 417),
        ]
        for (name, request, status) in cases {
            let connection = try TestConnection(port: port)
            try connection.send(request)
            let response = try connection.readResponse()
            XCTAssertEqual(response.status, status, name)
            XCTAssertTrue(response.closesConnection, "\(name): Connection: close")
            XCTAssertNil(response.backend, "\(name): answered by the load balancer")
            XCTAssertTrue(connection.waitForClose(timeout: 2), "\(name): connection closed")
        }
        XCTAssertEqual(try backend.requestCount(), 0, "no malformed request reached the backend")
        // Every refusal is counted under its own status, 417, 501 and 505 included.
        var expected = LBErrorCounts()
        for (_, _, status) in cases {
            guard let code = LBErrorCode(rawValue: status) else {
                XCTFail("\(status) is not an LBErrorCode")
                continue
            }
            expected[code] += 1
        }
        let snapshot = settledStatistics(balancer) { $0.listeners.first?.traffic.counts.lbErrors.total == UInt64(cases.count) }
        XCTAssertEqual(try snapshot.listener("front").traffic.counts.lbErrors, expected)
        // The same connection-level rules do not stop a good request.
        XCTAssertEqual(try TestRequest.fetch(port: port, "/fine").status, 200)
        XCTAssertEqual(try backend.requestCount(), 1)
    }

    /// Lingering close: a request refused before all of it arrived (here a head over the limit
    /// followed by a large body) is answered, our side is shut down, and what the client still
    /// sends is read and thrown away. The client writes its whole request without a reset and
    /// then reads the response; closing at once would have reset the connection under it.
    func testARefusedRequestsRemainingBytesAreDiscardedSoTheClientReadsTheError() throws {
        try start(limits: [("maxRequestLineLength", 2048), ("maxHeadLength", 4096)])
        let connection = try TestConnection(port: port)
        try connection.send("POST /x HTTP/1.1\r\nHost: test\r\nContent-Length: 16777216\r\nX-Long: \(String(repeating: "a", count: 5000))\r\n\r\n")
        let chunk = [UInt8](repeating: UInt8(ascii: "b"), count: 1 << 20)
        for index in 0..<16 {
            do {
                try connection.send(chunk)
            } catch {
                XCTFail("megabyte \(index) of the body: \(error); it should be taken, not reset")
                return
            }
        }
        let response = try connection.readResponse()
        XCTAssertEqual(response.status, 431)
        XCTAssertTrue(response.closesConnection)
        XCTAssertTrue(connection.waitForClose(timeout: 2), "EOF after the response")
        XCTAssertEqual(try backend.requestCount(), 0)
    }

    /// A client that neither finishes its refused request nor closes is cut off after
    /// `clientLinger`; it has had the response and an EOF long before.
    func testLingeringEndsAfterClientLinger() throws {
        try start(timeouts: [("clientLinger", 1)], limits: [("maxRequestLineLength", 2048), ("maxHeadLength", 4096)])
        let connection = try TestConnection(port: port)
        try connection.send("POST /x HTTP/1.1\r\nHost: test\r\nContent-Length: 1000000\r\nX-Long: \(String(repeating: "a", count: 5000))\r\n\r\n")
        let started = Date()
        XCTAssertEqual(try connection.readResponse().status, 431)
        XCTAssertEqual(try connection.readUntilClose(), [], "our side is shut down after the response")
        // Still lingering: what the client sends now is taken, not reset.
        XCTAssertNoThrow(try connection.send(String(repeating: "b", count: 1000)))
        var probe = pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)
        XCTAssertEqual(poll(&probe, 1, 300), 1, "EOF already delivered")
        // The reset that ends lingering comes at `clientLinger`, not before.
        let resetDeadline = Date().addingTimeInterval(5)
        var reset = false
        while Date() < resetDeadline {
            if Glibc.send(connection.fd, "b", 1, Int32(MSG_NOSIGNAL)) < 0 { reset = true; break }
            usleep(50_000)
        }
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertTrue(reset, "the connection is closed after clientLinger")
        XCTAssertGreaterThan(elapsed, 0.9, "not before clientLinger (1 s)")
        XCTAssertLessThan(elapsed, 4, "soon after clientLinger (1 s)")
    }

    /// The keep-alive race: the target drops a pooled connection just as a request goes out on
    /// it. The request (a POST, not idempotent) is sent again on a new connection, not answered 502.
    func testRequestOnAPooledConnectionTheTargetDropsIsRetriedOnANewConnection() throws {
        let balancer = try start()
        let connection = try TestConnection(port: port)
        XCTAssertEqual(try connection.get("/drop-next").status, 200)
        try connection.send("POST /after-drop HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello")
        let response = try connection.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.backend, "b0")
        connection.close()
        XCTAssertEqual(try backend.requestCount(), 2, "/drop-next, then the POST once, on the new connection")
        let snapshot = settledStatistics(balancer) { $0.targetGroups.first?.targets.first?.traffic.counts.retries == 1 }
        let target = try XCTUnwrap(snapshot.targetGroups.first?.targets.first).traffic.counts
        XCTAssertEqual(target.retries, 1)
        XCTAssertEqual(target.lbErrors.total, 0)
    }

    /// ALB answers 502 when the target refuses the connection; 503 means the group has no
    /// target at all. A retry that finds no other target must not turn the first into the second.
    func testRefusedConnectionToTheOnlyTargetIs502AndAnEmptyGroup503() throws {
        let backend = try startBackend("b0")
        let port = try FreePort.pick()
        let emptyPort = try FreePort.pick()
        var config = TestLBConfig(
            listeners: [.init(name: "front", port: port, group: "web"), .init(name: "empty", port: emptyPort, group: "none")],
            groups: [.init(name: "web", targets: [(backend.port, 1)]), .init(name: "none", targets: [])]
        )
        config.groups[0].healthCheck.enabled = false
        let balancer = try startBalancer(config)
        backend.kill()

        for method in ["GET", "POST"] {
            let response = try TestRequest.fetch(port: port, "/refused", headers: method == "POST" ? ["Content-Length: 0"] : [], method: method)
            XCTAssertEqual(response.status, 502, method)
        }
        XCTAssertEqual(try TestRequest.fetch(port: emptyPort, "/nothing").status, 503)

        let targetID = try health(balancer, port: backend.port).id.rawValue
        let snapshot = settledStatistics(balancer) { snapshot in
            snapshot.listeners.first { $0.name == "empty" }?.traffic.counts.lbErrors.serviceUnavailable == 1
                && snapshot.listeners.first { $0.name == "front" }?.traffic.counts.lbErrors.badGateway == 2
        }
        let front = try snapshot.listener("front").traffic.counts
        XCTAssertEqual(front.lbErrors.badGateway, 2)
        XCTAssertEqual(front.lbErrors.serviceUnavailable, 0)
        XCTAssertEqual(try snapshot.listener("empty").traffic.counts.lbErrors.serviceUnavailable, 1)
        let target = try snapshot.target("web", id: targetID).traffic.counts
        XCTAssertEqual(target.retries, 0, "nothing was retried: there was no other target")
        XCTAssertEqual(target.lbErrors.badGateway, 2)
    }

    func testBrokenResponseFramingFromTheBackendIs502() throws {
        try start()
        for kind in ["conflicting-length", "bad-status", "garbage", "bad-length"] {
            let connection = try TestConnection(port: port)
            try connection.send(TestRequest.get("/broken?kind=\(kind)"))
            let response = try connection.readResponse()
            XCTAssertEqual(response.status, 502, kind)
            XCTAssertNil(response.backend, "\(kind): nothing of the broken response reaches the client")
            XCTAssertEqual(response.text, "502 Bad Gateway\n", kind)
        }
        XCTAssertEqual(try backend.stats().paths["/broken"], 4)
        XCTAssertEqual(try TestRequest.fetch(port: port, "/fine").status, 200)
    }
}
