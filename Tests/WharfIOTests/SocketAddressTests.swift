import WharfIO
import XCTest

final class SocketAddressTests: XCTestCase {
    func testParsesIPv4AndIPv6WithPorts() throws {
        let loopback = try SocketAddress("127.0.0.1:8080")
        XCTAssertEqual(loopback.family, .ipv4)
        XCTAssertEqual(loopback.port, 8080)
        XCTAssertEqual(loopback.ip, "127.0.0.1")
        XCTAssertEqual(loopback.description, "127.0.0.1:8080")

        let any = try SocketAddress("0.0.0.0:80")
        XCTAssertEqual(any.description, "0.0.0.0:80")

        let v6 = try SocketAddress("[::1]:80")
        XCTAssertEqual(v6.family, .ipv6)
        XCTAssertEqual(v6.port, 80)
        XCTAssertEqual(v6.description, "[::1]:80")

        let scoped = try SocketAddress("[fe80::1%1]:443")
        XCTAssertEqual(scoped.description, "[fe80::1%1]:443")

        XCTAssertEqual(try SocketAddress(ip: "::1", port: 80), v6)
        XCTAssertEqual(try SocketAddress(ip: "127.0.0.1", port: 8080), loopback)
        XCTAssertNotEqual(try SocketAddress("127.0.0.1:8081"), loopback)
        XCTAssertEqual(Set([loopback, try SocketAddress("127.0.0.1:8080")]).count, 1)
    }

    func testRejectsMalformedText() {
        for text in ["127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "256.0.0.1:80", "::1:80", "[::1]80", "[::1:80", "host:80", ""] {
            XCTAssertThrowsError(try SocketAddress(text), text) { error in
                XCTAssertEqual(error as? IOError, .invalidAddress(text))
            }
        }
    }

    func testRoundTripsThroughTheKernel() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        XCTAssertEqual(listener.address.ip, "127.0.0.1")
        XCTAssertNotEqual(listener.address.port, 0)
        let v6 = try Socket.listen(SocketAddress("[::1]:0"), reusePort: false)
        defer { Socket.close(v6) }
        let bound = try Socket.localAddress(v6)
        XCTAssertEqual(bound.family, .ipv6)
        XCTAssertEqual(bound.ip, "::1")
    }
}
