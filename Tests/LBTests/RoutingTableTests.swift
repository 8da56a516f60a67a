import XCTest

@testable import LB

/// Snapshots, endpoints and a worker adopting new snapshots.
final class RoutingTableTests: XCTestCase {
    func testEndpointsParseAndBuildSocketAddresses() throws {
        let v4 = try TargetEndpoint(host: "127.0.0.1", port: 9001)
        XCTAssertEqual(v4.family, AF_INET)
        XCTAssertEqual(v4.description, "127.0.0.1:9001")
        v4.withSocketAddress { pointer, length in
            XCTAssertEqual(Int(length), MemoryLayout<sockaddr_in>.size)
            pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                XCTAssertEqual(UInt16(bigEndian: $0.pointee.sin_port), 9001)
                XCTAssertEqual(UInt32(bigEndian: $0.pointee.sin_addr.s_addr), 0x7F00_0001)
            }
        }
        let v6 = try TargetEndpoint(host: "[fd00::1:2]", port: 80)
        XCTAssertEqual(v6.family, AF_INET6)
        XCTAssertEqual(v6.host, "fd00::1:2")
        XCTAssertEqual(v6.description, "[fd00::1:2]:80")
        XCTAssertEqual(v6.address, .ipv6(high: 0xFD00_0000_0000_0000, low: 0x0000_0000_0001_0002))
        v6.withSocketAddress { pointer, length in
            XCTAssertEqual(Int(length), MemoryLayout<sockaddr_in6>.size)
            XCTAssertEqual(Int32(pointer.pointee.sa_family), AF_INET6)
        }
        for bad in ["localhost", "10.0.0", "10.0.0.256", "::g", "", "fe80::1%eth0"] {
            XCTAssertThrowsError(try TargetEndpoint(host: bad, port: 80), bad)
        }
    }

    func testLookups() {
        let group = PickerTests.healthy(3)
        XCTAssertEqual(group.index(of: TargetID(rawValue: 3)), 2)
        XCTAssertNil(group.index(of: TargetID(rawValue: 4)))
        let listener = try! ListenerConfiguration(name: "web", port: 8003, defaultTargetGroup: "web")
        let table = RoutingTable(
            generation: 1, listeners: [RouteListener(configuration: listener, defaultGroupIndex: 0)], groups: [group])
        XCTAssertEqual(table.listenerIndex(port: 8003), 0)
        XCTAssertEqual(table.listenerIndex(named: "web"), 0)
        XCTAssertNil(table.listenerIndex(port: 80))
        XCTAssertEqual(table.groupIndex(named: "web"), 0)
    }

    func testWorkerAdoptsOnlyNewerSnapshotsAndKeepsState() {
        let first = RoutingTable(generation: 5, listeners: [], groups: [PickerTests.healthy(2)])
        var worker = WorkerRouting(table: first, seed: 9)
        let index = worker.pick(group: 0, now: 0)
        XCTAssertEqual(index, 0)
        worker.requestStarted(group: 0, index: 0)

        XCTAssertFalse(worker.adopt(RoutingTable(generation: 4, listeners: [], groups: [])))
        XCTAssertFalse(worker.adopt(RoutingTable(generation: 5, listeners: [], groups: [])))
        XCTAssertEqual(worker.table.generation, 5)

        // A reload puts another group first; "web" keeps its picker state by name.
        let other = RouteGroup(
            name: "api", algorithm: .roundRobin, slowStartSeconds: 0, outlierDetection: OutlierDetectionConfiguration(),
            targets: [], inUse: false)
        XCTAssertTrue(
            worker.adopt(RoutingTable(generation: 6, listeners: [], groups: [other, PickerTests.healthy(2)])))
        XCTAssertEqual(worker.pickers[1].outstanding(0), 1)
        XCTAssertEqual(worker.pick(group: 1, now: 0), 1, "the round-robin position is kept too")
        worker.requestFinished(groupName: "web", target: TargetID(rawValue: 1), outcome: .response(status: 200), now: 0)
        XCTAssertEqual(worker.pickers[1].outstanding(0), 0)
        XCTAssertEqual(worker.table.groups[1].targets[1].host, "10.0.0.2")
    }
}
