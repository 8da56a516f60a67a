import Foundation
import LinuxHost
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The persistent address pool: never hands an address out twice, survives being reopened,
/// releases exactly, and says when it is full.
final class IPAddressPoolTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = "/tmp/wharf-ipam-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    override func tearDown() {
        try? FileSystem.removeTree(directory)
    }

    func testAllocatesDistinctHostAddressesSkippingTheGateway() throws {
        let network = try XCTUnwrap(IPv4Network("10.50.0.0/29"))  // hosts .1-.6, .1 is the gateway
        let pool = try IPAddressPool(directory: directory, network: network)
        var seen: Set<IPv4Address> = []
        for index in 0..<5 {
            let address = try pool.allocate(owner: "task\(index)")
            XCTAssertTrue(seen.insert(address).inserted, "\(address) handed out twice")
            XCTAssertNotEqual(address, network.gateway)
            XCTAssertTrue(network.contains(address))
            XCTAssertNotEqual(address, network.broadcast)
        }
        XCTAssertThrowsError(try pool.allocate(owner: "one-too-many")) { error in
            XCTAssertEqual((error as? SystemError)?.errno, ENOSPC)
        }
    }

    func testSameOwnerGetsTheSameAddressAndReopenedPoolRemembers() throws {
        let network = try XCTUnwrap(IPv4Network("10.50.1.0/24"))
        let first = try IPAddressPool(directory: directory, network: network).allocate(owner: "a")
        let reopened = try IPAddressPool(directory: directory, network: network)
        XCTAssertEqual(try reopened.allocate(owner: "a"), first)
        XCTAssertEqual(reopened.address(of: "a"), first)
        XCTAssertNotEqual(try reopened.allocate(owner: "b"), first)
    }

    func testReopenedPoolContinuesAfterTheLastAddressHandedOut() throws {
        // Hints .254 then (wrapping) .2: the hint file is rewritten in place, shorter after longer.
        let network = try XCTUnwrap(IPv4Network("10.50.4.0/24"))
        let pool = try IPAddressPool(directory: directory, network: network)
        for index in 2...252 {
            XCTAssertTrue(try FileSystem.createExclusive(directory + "/10.50.4.\(index)", "filler\(index)"))
        }
        XCTAssertEqual(try pool.allocate(owner: "before-last").description, "10.50.4.253")
        XCTAssertEqual(try pool.allocate(owner: "last").description, "10.50.4.254")
        for index in 2...5 { unlink(directory + "/10.50.4.\(index)") }
        XCTAssertEqual(try IPAddressPool(directory: directory, network: network).allocate(owner: "a").description, "10.50.4.2")
        try pool.release(owner: "a")
        // Not the address just released: the scan starts after the last one handed out.
        XCTAssertEqual(try IPAddressPool(directory: directory, network: network).allocate(owner: "b").description, "10.50.4.3")
    }

    func testReleaseFreesExactlyTheOwnersAddressAndIsIdempotent() throws {
        let network = try XCTUnwrap(IPv4Network("10.50.2.0/30"))  // one usable task address (.2)
        let pool = try IPAddressPool(directory: directory, network: network)
        let address = try pool.allocate(owner: "a")
        XCTAssertThrowsError(try pool.allocate(owner: "b"))
        try IPAddressPool.release(owner: "a", directory: directory)
        try pool.release(owner: "a")
        XCTAssertNil(pool.address(of: "a"))
        XCTAssertEqual(try pool.allocate(owner: "b"), address)
        XCTAssertEqual(try pool.allocations().map(\.owner), ["b"])
    }

    func testConcurrentAllocationsNeverCollide() throws {
        let network = try XCTUnwrap(IPv4Network("10.50.3.0/24"))
        let pool = try IPAddressPool(directory: directory, network: network)
        let lock = NSLock()
        nonisolated(unsafe) var addresses: [IPv4Address] = []
        DispatchQueue.concurrentPerform(iterations: 100) { index in
            if let address = try? pool.allocate(owner: "t\(index)") {
                lock.lock()
                addresses.append(address)
                lock.unlock()
            }
        }
        XCTAssertEqual(addresses.count, 100)
        XCTAssertEqual(Set(addresses).count, 100)
    }
}
