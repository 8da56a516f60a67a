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
