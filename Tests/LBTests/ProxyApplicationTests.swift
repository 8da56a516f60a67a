import Foundation
import LB
import WharfTestSupport
import XCTest

/// Requests served by a listener's in-process application (how the ECS API and the dashboard
/// are served): the engine collects the body and counts the responses like a target's.
final class ProxyApplicationTests: ProxyTestCase {
    /// Answers `/missing` with 404 and everything else with 200, the body being the number of
    /// request body bytes received.
    private final class BodyLengthApplication: HTTPApplication {
        let maxRequestBodyBytes = 1 << 20

        func handle(_ request: HTTPServerRequest, respond: @escaping @Sendable (HTTPServerResponse) -> Void) {
            let status = request.path == "/missing" ? 404 : 200
            respond(HTTPServerResponse(status: status, contentType: "text/plain", body: String(request.body.count)))
        }
    }

    /// Takes bodies of at most 16 bytes and answers a larger one with a 413 of its own.
    private final class SmallBodyApplication: HTTPApplication {
        let maxRequestBodyBytes = 16

        func handle(_ request: HTTPServerRequest, respond: @escaping @Sendable (HTTPServerResponse) -> Void) {
            respond(HTTPServerResponse(status: 200, contentType: "text/plain", body: String(request.body.count)))
        }

        func bodyTooLargeResponse(declaredLength: Int?) -> HTTPServerResponse? {
            HTTPServerResponse(status: 413, contentType: "application/json", body: #"{"declared":"\#(declaredLength.map(String.init) ?? "none")"}"#)
        }
    }

    func testABodyOverTheLimitGetsTheApplicationsOwn413AndTheConnectionCloses() throws {
        let backend = try startBackend("b0")
        var config = TestLBConfig.simple(port: try FreePort.pick(), targets: [backend.port])
        config.groups[0].healthCheck.enabled = false
        let smallPort = try FreePort.pick()
        let defaultPort = try FreePort.pick()
        let balancer = try startBalancer(config) { balancer in
            try balancer.addApplicationListener(name: "small", address: "127.0.0.1:\(smallPort)", application: SmallBodyApplication())
            try balancer.addApplicationListener(name: "plain", address: "127.0.0.1:\(defaultPort)", application: BodyLengthApplication())
        }

        let withinLimit = try TestConnection(port: smallPort)
        try withinLimit.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 16\r\n\r\n" + String(repeating: "x", count: 16))
        XCTAssertEqual(String(decoding: try withinLimit.readResponse().body, as: UTF8.self), "16")
        withinLimit.close()

        let declared = try TestConnection(port: smallPort)
        try declared.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 17\r\n\r\n")
        let declaredResponse = try declared.readResponse()
        XCTAssertEqual(declaredResponse.status, 413)
        XCTAssertEqual(declaredResponse.header("Content-Type"), "application/json")
        XCTAssertEqual(declaredResponse.header("Connection"), "close")
        XCTAssertEqual(String(decoding: declaredResponse.body, as: UTF8.self), #"{"declared":"17"}"#)
        XCTAssertTrue(declared.waitForClose(timeout: 5), "the unread body is never taken for a next request")

        let chunked = try TestConnection(port: smallPort)
        try chunked.send("POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n")
        try chunked.send("10\r\n" + String(repeating: "x", count: 16) + "\r\n1\r\nx\r\n")
        let chunkedResponse = try chunked.readResponse()
        XCTAssertEqual(chunkedResponse.status, 413)
        XCTAssertEqual(String(decoding: chunkedResponse.body, as: UTF8.self), #"{"declared":"none"}"#)
        XCTAssertTrue(chunked.waitForClose(timeout: 5))

        // An application without a 413 of its own gets the engine's, counted as an LB error.
        let plain = try TestConnection(port: defaultPort)
        try plain.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: \((1 << 20) + 1)\r\n\r\n")
        let plainResponse = try plain.readResponse()
        XCTAssertEqual(plainResponse.status, 413)
        XCTAssertNotEqual(plainResponse.header("Content-Type"), "application/json")

        let snapshot = settledStatistics(balancer) { snapshot in
            snapshot.listeners.first { $0.name == "plain" }?.traffic.counts.lbErrors.total == 1
                && snapshot.listeners.first { $0.name == "small" }?.traffic.counts.responses.total == 3
        }
        XCTAssertEqual(try snapshot.listener("small").traffic.counts.responses.clientError, 2)
        XCTAssertEqual(try snapshot.listener("small").traffic.counts.lbErrors.total, 0)
        XCTAssertEqual(try snapshot.listener("plain").traffic.counts.lbErrors.total, 1)
    }

    func testApplicationResponsesAreCountedOnTheirListener() throws {
        let backend = try startBackend("b0")
        var config = TestLBConfig.simple(port: try FreePort.pick(), targets: [backend.port])
        config.groups[0].healthCheck.enabled = false
        let appPort = try FreePort.pick()
        let balancer = try startBalancer(config) { balancer in
            try balancer.addApplicationListener(name: "app", address: "127.0.0.1:\(appPort)", application: BodyLengthApplication())
        }

        let connection = try TestConnection(port: appPort)
        for index in 0..<3 { XCTAssertEqual(try connection.get("/ok-\(index)").status, 200) }
        for _ in 0..<2 { XCTAssertEqual(try connection.get("/missing").status, 404) }
        connection.close()

        let snapshot = settledStatistics(balancer) { snapshot in
            snapshot.listeners.first { $0.name == "app" }?.traffic.counts.responses.total == 5
        }
        let app = try snapshot.listener("app").traffic.counts
        XCTAssertEqual(app.requests, 5)
        XCTAssertEqual(app.responses.successful, 3)
        XCTAssertEqual(app.responses.clientError, 2)
        XCTAssertEqual(app.lbErrors.total, 0)
        XCTAssertGreaterThan(app.requestDurationMicroseconds, 0, "the application's request durations are recorded")
        XCTAssertTrue(
            PrometheusExposition.render(snapshot).contains("wharf_lb_listener_responses_total{listener=\"app\",code_class=\"2xx\"} 3\n")
        )
    }

    func testChunkedBodyIsCollectedWholeForTheApplication() throws {
        let backend = try startBackend("b0")
        var config = TestLBConfig.simple(port: try FreePort.pick(), targets: [backend.port])
        config.groups[0].healthCheck.enabled = false
        let appPort = try FreePort.pick()
        _ = try startBalancer(config) { balancer in
            try balancer.addApplicationListener(name: "app", address: "127.0.0.1:\(appPort)", application: BodyLengthApplication())
        }

        // 200 chunks of 1000 bytes, sent in pieces so the body arrives over many reads.
        let connection = try TestConnection(port: appPort)
        try connection.send("POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = "3e8\r\n" + String(repeating: "x", count: 1000) + "\r\n"
        for _ in 0..<20 { try connection.send(String(repeating: chunk, count: 10)) }
        try connection.send("0\r\n\r\n")
        let response = try connection.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "200000")
    }
}
