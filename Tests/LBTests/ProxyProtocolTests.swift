import Foundation
import LB
import WharfTestSupport
import XCTest

/// HTTP/1.1 semantics through the proxy: pipelining, hop-by-hop fields and forwarding
/// headers, bodiless responses, HTTP/1.0 clients, `Expect: 100-continue`, `Connection: close`.
final class ProxyProtocolTests: ProxyTestCase {
    private var backend: Backend!
    private var port = 0

    override func setUpWithError() throws {
        try super.setUpWithError()
        backend = try startBackend("b0")
        port = try FreePort.pick()
        var config = TestLBConfig.simple(port: port, targets: [backend.port])
        config.groups[0].healthCheck.enabled = false
        _ = try startBalancer(config)
    }

    func testPipelinedRequestsAreAnsweredInOrder() throws {
        let connection = try TestConnection(port: port)
        // A slow first request, a POST with a body, then a quick GET: all in one write.
        let requests = TestRequest.get("/delay?ms=300")
            + "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello"
            + TestRequest.get("/third")
        try connection.send(requests)
        let first = try connection.readResponse()
        let second = try connection.readResponse()
        let third = try connection.readResponse()
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.text, "backend=b0 path=/delay\n")
        XCTAssertEqual(second.status, 200)
        XCTAssertTrue(second.text.hasPrefix("POST /echo HTTP/1.1\r\n"), second.text)
        XCTAssertTrue(second.text.hasSuffix("\r\n\r\nhello"), second.text)
        XCTAssertEqual(third.text, "backend=b0 path=/third\n")
        // Still open for more.
        XCTAssertEqual(try connection.get("/fourth").text, "backend=b0 path=/fourth\n")
    }

    func testHopByHopFieldsAreRemovedAndForwardingFieldsAdded() throws {
        let connection = try TestConnection(port: port)
        try connection.send(
            "GET /echo HTTP/1.1\r\nHost: example.test\r\nConnection: keep-alive, X-Hop-Request\r\nX-Hop-Request: 1\r\n"
                + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: h2c\r\n"
                + "X-Forwarded-For: 10.1.2.3\r\nX-Forwarded-Proto: ftp\r\nX-Forwarded-Port: 1\r\nX-End-To-End: kept\r\n\r\n")
        let response = try connection.readResponse()
        XCTAssertEqual(response.status, 200)
        let received = try XCTUnwrap(receivedHead(response))
        for name in ["Connection", "X-Hop-Request", "Keep-Alive", "Proxy-Connection", "TE", "Upgrade"] {
            XCTAssertNil(received[name.lowercased()], "\(name) must not reach the target: \(received)")
        }
        XCTAssertEqual(received["host"], ["example.test"])
        XCTAssertEqual(received["x-end-to-end"], ["kept"])
        XCTAssertEqual(received["x-forwarded-for"], ["10.1.2.3, 127.0.0.1"])
        XCTAssertEqual(received["x-forwarded-proto"], ["http"])
        XCTAssertEqual(received["x-forwarded-port"], [String(port)])
        let requestID = try XCTUnwrap(received["x-request-id"]?.first)
        XCTAssertEqual(requestID.count, 32, requestID)

        // A client's own X-Request-Id is kept; every request without one gets a new id.
        let second = try XCTUnwrap(receivedHead(try connection.get("/echo", headers: ["X-Request-Id: client-chosen"])))
        XCTAssertEqual(second["x-request-id"], ["client-chosen"])
        let third = try XCTUnwrap(receivedHead(try connection.get("/echo")))
        XCTAssertNotEqual(third["x-request-id"]?.first, requestID)

        // And the response's hop-by-hop fields do not reach the client.
        let hop = try connection.get("/hop")
        XCTAssertEqual(hop.text, "hop\n")
        XCTAssertNil(hop.header("X-Hop-Response"))
        XCTAssertNil(hop.header("Keep-Alive"))
        XCTAssertNil(hop.header("Connection"))
        XCTAssertEqual(hop.header("X-End-To-End"), "kept")
    }

    func testResponsesWithoutBodiesKeepTheConnectionInStep() throws {
        let connection = try TestConnection(port: port)
        try connection.send(TestRequest.get("/large?bytes=1000", method: "HEAD"))
        let head = try connection.readResponse(method: "HEAD")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("Content-Length"), "1000")
        let noContent = try connection.get("/status?code=204")
        XCTAssertEqual(noContent.status, 204)
        XCTAssertNil(noContent.header("Content-Length"))
        let notModified = try connection.get("/status?code=304", headers: ["If-None-Match: \"v1\""])
        XCTAssertEqual(notModified.status, 304)
        XCTAssertEqual(notModified.header("ETag"), "\"v1\"")
        // Had any body byte slipped through, this response would be read out of step.
        let after = try connection.get("/after")
        XCTAssertEqual(after.text, "backend=b0 path=/after\n")
        XCTAssertFalse(connection.hasInput(within: 0.2), "no stray bytes after the responses")
    }

    func testHTTP10ClientsWithAndWithoutKeepAlive() throws {
        // Without keep-alive: answered, then closed; the target still gets a Host.
        let plain = try TestConnection(port: port)
        try plain.send("GET /echo HTTP/1.0\r\n\r\n")
        let response = try plain.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(response.closesConnection)
        let received = try XCTUnwrap(receivedHead(response))
        XCTAssertEqual(received["host"], ["127.0.0.1:\(backend.port)"])
        XCTAssertTrue(response.text.hasPrefix("GET /echo HTTP/1.1\r\n"), "the target gets HTTP/1.1")
        XCTAssertTrue(plain.waitForClose(timeout: 2))

        // With keep-alive: the connection stays open and says so.
        let kept = try TestConnection(port: port)
        for index in 0..<3 {
            try kept.send("GET /ten-\(index) HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let answer = try kept.readResponse()
            XCTAssertEqual(answer.text, "backend=b0 path=/ten-\(index)\n")
            XCTAssertEqual(answer.header("Connection")?.lowercased(), "keep-alive")
        }

        // A chunked response cannot be framed for HTTP/1.0: de-chunked, then closed.
        let chunked = try TestConnection(port: port)
        try chunked.send("GET /large?bytes=300000&chunked=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        let body = try chunked.readResponse()
        XCTAssertEqual(body.status, 200)
        XCTAssertNil(body.header("Transfer-Encoding"))
        XCTAssertFalse(body.wasChunked)
        XCTAssertEqual(body.body.count, 300_000)
        XCTAssertNil(BodyPattern.firstMismatch(in: body.body))
    }

    func testExpectContinueIsRelayedBeforeTheBody() throws {
        let connection = try TestConnection(port: port)
        let body = BodyPattern.bytes(count: 100_000)
        try connection.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: \(body.count)\r\nExpect: 100-continue\r\n\r\n")
        XCTAssertTrue(connection.hasInput(within: 3), "100 Continue before the body is sent")
        let interim = try connection.readHead()
        XCTAssertEqual(interim.status, 100)
        try connection.send(body)
        let response = try connection.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(response.text.hasPrefix("length=100000 "), response.text)
        XCTAssertTrue(response.text.hasSuffix("pattern=ok\n"), response.text)
    }

    func testConnectionCloseIsHonoured() throws {
        let connection = try TestConnection(port: port)
        try connection.send(TestRequest.get("/bye", headers: ["Connection: close"]))
        let response = try connection.readResponse()
        XCTAssertEqual(response.text, "backend=b0 path=/bye\n")
        XCTAssertTrue(response.closesConnection)
        XCTAssertTrue(connection.waitForClose(timeout: 2))

        // Pipelined behind a Connection: close request, nothing more is served.
        let pipelined = try TestConnection(port: port)
        try pipelined.send(TestRequest.get("/last", headers: ["Connection: close"]) + TestRequest.get("/never"))
        XCTAssertEqual(try pipelined.readResponse().text, "backend=b0 path=/last\n")
        XCTAssertTrue(pipelined.waitForClose(timeout: 2))
        XCTAssertNil(try backend.stats().paths["/never"])
    }

    /// The header fields the backend says it received (`/echo`), by lowercased name.
    private func receivedHead(_ response: TestResponse) -> [String: [String]]? {
        let text = response.text
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        var fields: [String: [String]] = [:]
        for line in text[..<end.lowerBound].components(separatedBy: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            fields[name, default: []].append(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return fields
    }
}
