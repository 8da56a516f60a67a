import Foundation
import LB
import WharfTestSupport
import XCTest

/// `Upgrade: websocket` through the proxy: the 101 handshake is relayed, then frames flow both
/// ways through the tunnel, including bytes the target sent together with its 101 head.
final class ProxyWebSocketTests: ProxyTestCase {
    func testWebSocketHandshakeAndEchoThroughTheTunnel() throws {
        let backend = try startBackend("b0")
        let port = try FreePort.pick()
        var config = TestLBConfig.simple(port: port, targets: [backend.port])
        config.groups[0].healthCheck.enabled = false
        _ = try startBalancer(config)

        let connection = try TestConnection(port: port)
        // RFC 6455 section 1.3's example key and its accept value.
        try connection.send(
            "GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        let handshake = try connection.readHead()
        XCTAssertEqual(handshake.status, 101)
        XCTAssertEqual(handshake.header("Upgrade")?.lowercased(), "websocket")
        XCTAssertEqual(handshake.header("Connection")?.lowercased(), "upgrade")
        XCTAssertEqual(handshake.header("Sec-WebSocket-Accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        XCTAssertEqual(handshake.backend, "b0")

        // The greeting travelled in the same write as the 101 head.
        XCTAssertEqual(try WebSocketFrames.read(from: connection), .init(opcode: 1, payload: Array("hello from b0".utf8)))

        let messages: [(UInt8, [UInt8])] = [
            (1, Array("ping 1".utf8)),
            (2, BodyPattern.bytes(count: 300)),
            (2, BodyPattern.bytes(offset: 7, count: 200_000)),
            (1, Array("last".utf8)),
        ]
        // Sent back to back; echoed in order.
        try connection.send(messages.flatMap { WebSocketFrames.clientFrame(opcode: $0.0, payload: $0.1) })
        for (opcode, payload) in messages {
            let echo = try WebSocketFrames.read(from: connection)
            XCTAssertEqual(echo.opcode, opcode)
            XCTAssertEqual(echo.payload.count, payload.count)
            XCTAssertTrue(echo.payload == payload, "payload of \(payload.count) bytes echoed intact")
        }

        // Close handshake: the target answers and closes; the proxy closes the client side.
        try connection.send(WebSocketFrames.clientFrame(opcode: 8, payload: [0x03, 0xE8]))
        XCTAssertEqual(try WebSocketFrames.read(from: connection), .init(opcode: 8, payload: [0x03, 0xE8]))
        XCTAssertTrue(connection.waitForClose(timeout: 2))
        XCTAssertEqual(try backend.stats().paths["/ws"], 1)
    }

    /// Bytes relayed through a tunnel count towards its target, both ways, like any other bytes
    /// exchanged with it.
    func testTunnelBytesCountTowardsTheTarget() throws {
        let backend = try startBackend("b0")
        let port = try FreePort.pick()
        var config = TestLBConfig.simple(port: port, targets: [backend.port])
        config.groups[0].healthCheck.enabled = false
        let balancer = try startBalancer(config)

        let connection = try TestConnection(port: port)
        try connection.send(
            "GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        XCTAssertEqual(try connection.readHead().status, 101)
        _ = try WebSocketFrames.read(from: connection)  // the greeting
        let payloadLength = 150_000
        try connection.send(WebSocketFrames.clientFrame(opcode: 2, payload: BodyPattern.bytes(count: payloadLength)))
        XCTAssertEqual(try WebSocketFrames.read(from: connection).payload.count, payloadLength)
        try connection.send(WebSocketFrames.clientFrame(opcode: 8, payload: [0x03, 0xE8]))
        XCTAssertEqual(try WebSocketFrames.read(from: connection).opcode, 8)
        XCTAssertTrue(connection.waitForClose(timeout: 2))

        func targetCounts(_ snapshot: LBStatisticsSnapshot) -> TrafficCounts? {
            snapshot.targetGroups.first { $0.name == "web" }?.targets.first?.traffic.counts
        }
        let snapshot = settledStatistics(balancer) { snapshot in
            guard let counts = targetCounts(snapshot) else { return false }
            return counts.bytesSent >= UInt64(payloadLength) && counts.bytesReceived >= UInt64(payloadLength)
        }
        let counts = try XCTUnwrap(targetCounts(snapshot))
        // The masked frame went to the target, its echo came back: each more than the payload.
        XCTAssertGreaterThan(counts.bytesSent, UInt64(payloadLength), "bytes sent to the target")
        XCTAssertGreaterThan(counts.bytesReceived, UInt64(payloadLength), "bytes received from the target")
    }
}
