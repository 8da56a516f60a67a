import Foundation
import LB
import WharfTestSupport
import XCTest

/// Bodies larger than any buffer, streamed both ways: uploads with Content-Length and chunked
/// (checked byte for byte at the backend), large responses, and a client that stops reading.
final class ProxyBodyTests: ProxyTestCase {
    private var backend: Backend!
    private var port = 0

    override func setUpWithError() throws {
        try super.setUpWithError()
        backend = try startBackend("b0")
        port = try FreePort.pick()
        var config = TestLBConfig.simple(port: port, targets: [backend.port], workers: 1)
        config.groups[0].healthCheck.enabled = false
        _ = try startBalancer(config)
    }

    static let uploadSize = 8 * 1024 * 1024 + 13

    func testContentLengthUploadIsStreamedIntact() throws {
        // The first request of a fresh load balancer: the body streams while the connection
        // to the target is still being established.
        let body = BodyPattern.bytes(count: Self.uploadSize)
        let connection = try TestConnection(port: port, timeout: 8)
        for round in 0..<2 {
            try connection.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: \(body.count)\r\n\r\n")
            try connection.send(body)
            let response = try connection.readResponse()
            XCTAssertEqual(response.status, 200, "round \(round)")
            XCTAssertTrue(response.text.hasPrefix("length=\(Self.uploadSize) "), "round \(round): \(response.text)")
            XCTAssertTrue(response.text.hasSuffix("pattern=ok\n"), "round \(round): \(response.text)")
        }
    }

    func testChunkedUploadIsStreamedIntact() throws {
        let body = BodyPattern.bytes(count: Self.uploadSize)
        let connection = try TestConnection(port: port, timeout: 8)
        for round in 0..<2 {
            var wire = Array("POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            // Chunk sizes from 1 byte to ~100 KB, so chunk boundaries fall everywhere relative
            // to the proxy's buffers.
            var offset = 0
            var size = 1
            while offset < body.count {
                let take = min(size, body.count - offset)
                wire += Array("\(String(take, radix: 16))\r\n".utf8) + body[offset..<(offset + take)] + Array("\r\n".utf8)
                offset += take
                size = (size * 7 + round) % 100_003 + 1
            }
            wire += Array("0\r\n\r\n".utf8)
            try connection.send(wire)
            let response = try connection.readResponse()
            XCTAssertEqual(response.status, 200, "round \(round)")
            XCTAssertTrue(response.text.hasPrefix("length=\(Self.uploadSize) "), "round \(round): \(response.text)")
            XCTAssertTrue(response.text.hasSuffix("pattern=ok\n"), "round \(round): \(response.text)")
        }
    }

    func testLargeResponsesAreStreamedIntact() throws {
        let size = 40 * 1024 * 1024 + 7
        let connection = try TestConnection(port: port, timeout: 8)
        for chunked in [false, true] {
            let response = try connection.get("/large?bytes=\(size)&chunked=\(chunked ? 1 : 0)")
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.wasChunked, chunked)
            XCTAssertEqual(response.body.count, size, "chunked: \(chunked)")
            XCTAssertNil(BodyPattern.firstMismatch(in: response.body), "chunked: \(chunked)")
        }
    }

    /// A client that stops reading in the middle of a 32 MB response: the proxy stops reading
    /// the target (back-pressure) instead of buffering, and the body is intact once the client
    /// reads again. (The memory side is measured on a `wharf lb` process in `ProxyProcessTests`.)
    func testStalledReaderGetsTheWholeBodyAfterwards() throws {
        let size = 32 * 1024 * 1024
        let connection = try TestConnection(port: port, timeout: 8)
        try connection.send(TestRequest.get("/large?bytes=\(size)"))
        let head = try connection.readHead()
        XCTAssertEqual(head.status, 200)
        Thread.sleep(forTimeInterval: 1.5)
        var body: [UInt8] = []
        // Slowly at first (64 KB at a time), then the rest at full speed.
        for _ in 0..<32 {
            body += try connection.read(count: 64 * 1024)
            Thread.sleep(forTimeInterval: 0.01)
        }
        body += try connection.read(count: size - body.count)
        XCTAssertEqual(body.count, size)
        XCTAssertNil(BodyPattern.firstMismatch(in: body))
        XCTAssertEqual(try connection.get("/after").status, 200, "the connection is still in step")
    }
}
