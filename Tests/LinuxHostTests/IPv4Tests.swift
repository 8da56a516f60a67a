import XCTest

@testable import LinuxHost

final class IPv4Tests: XCTestCase {
    func testParsesAndPrintsDottedQuad() throws {
        let address = try XCTUnwrap(IPv4Address("10.1.2.3"))
        XCTAssertEqual(address.value, 0x0A01_0203)
        XCTAssertEqual(address.description, "10.1.2.3")
        XCTAssertEqual(IPv4Address(10, 1, 2, 3), address)
        XCTAssertEqual(IPv4Address("0.0.0.0"), .any)
        XCTAssertEqual(IPv4Address("255.255.255.255")?.value, UInt32.max)
    }

    func testRejectsMalformedAddresses() {
        for text in ["", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1..2.3", "1.2.3.", ".1.2.3", "a.b.c.d", "01.2.3.4",
                     "1.2.3.4 ", "1234.1.1.1", "-1.2.3.4"]
        {
            XCTAssertNil(IPv4Address(text), text)
        }
    }

    func testOrderingAndArithmetic() throws {
        let a = try XCTUnwrap(IPv4Address("10.0.0.255"))
        let b = a.advanced(by: 1)
        XCTAssertEqual(b.description, "10.0.1.0")
        XCTAssertLessThan(a, b)
        XCTAssertEqual(a.distance(to: b), 1)
        XCTAssertEqual(b.advanced(by: -256).description, "10.0.0.0")
        XCTAssertEqual(Set([a, b, a]).count, 2)
        XCTAssertEqual(Array(a...b.advanced(by: 1)).count, 3)
    }

    func testNetworkParsingAndDerivedAddresses() throws {
        let network = try XCTUnwrap(IPv4Network("10.88.0.0/16"))
        XCTAssertEqual(network.description, "10.88.0.0/16")
        XCTAssertEqual(network.netmask.description, "255.255.0.0")
        XCTAssertEqual(network.network.description, "10.88.0.0")
        XCTAssertEqual(network.broadcast.description, "10.88.255.255")
        XCTAssertEqual(network.firstHost.description, "10.88.0.1")
        XCTAssertEqual(network.lastHost.description, "10.88.255.254")
        XCTAssertEqual(network.gateway.description, "10.88.0.1")
        XCTAssertEqual(network.size, 65536)
        // Host bits are cleared.
        XCTAssertEqual(IPv4Network("10.88.7.9/16"), network)
        XCTAssertEqual(IPv4Network("0.0.0.0/0"), .defaultRoute)
        XCTAssertEqual(IPv4Network("10.0.0.7/32")?.firstHost.description, "10.0.0.7")
        XCTAssertEqual(IPv4Network("10.0.0.6/31")?.lastHost.description, "10.0.0.7")
    }

    func testBadPrefixesAreRejected() {
        for text in ["10.88.0.0", "10.88.0.0/", "10.88.0.0/33", "10.88.0.0/100", "10.88.0.0/-1", "10.88.0.0/1a",
                     "10.88.0/16", "/16", "10.88.0.0/16/2"]
        {
            XCTAssertNil(IPv4Network(text), text)
        }
        XCTAssertNil(IPv4Network(address: .any, prefixLength: 33))
        XCTAssertNil(IPv4Network(address: .any, prefixLength: -1))
    }

    func testContainsAndOverlaps() throws {
        let wide = try XCTUnwrap(IPv4Network("10.88.0.0/16"))
        let inside = try XCTUnwrap(IPv4Network("10.88.4.0/24"))
        let outside = try XCTUnwrap(IPv4Network("10.89.0.0/24"))
        XCTAssertTrue(wide.contains(try XCTUnwrap(IPv4Address("10.88.200.1"))))
        XCTAssertFalse(wide.contains(try XCTUnwrap(IPv4Address("10.89.0.1"))))
        XCTAssertTrue(wide.contains(inside))
        XCTAssertFalse(inside.contains(wide))
        XCTAssertTrue(wide.overlaps(inside))
        XCTAssertTrue(inside.overlaps(wide))
        XCTAssertFalse(wide.overlaps(outside))
        XCTAssertTrue(IPv4Network.defaultRoute.overlaps(outside))
    }
}
