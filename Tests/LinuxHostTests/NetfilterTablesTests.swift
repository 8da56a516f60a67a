import Glibc
import WharfTestSupport
import XCTest

@testable import LinuxHost

/// A table as a test writes it whole.
struct NftTable {
    var name: String
    var chains: [NftChain]
}

extension NetfilterTables {
    /// Writes `table` as the whole of the table of that name, in one transaction: add, delete,
    /// add, the idiom for replacing a table whether or not it exists.
    func replace(_ table: NftTable) throws(SystemError) {
        try commit([.addTable(table.name), .deleteTable(table.name), .addTable(table.name)]
                   + table.chains.map { .addChain(table: table.name, $0) }, step: "write nftables table ip \(table.name)")
    }
}

/// Real nf_tables tests (root): tables with a unique name, deleted in `tearDown` whatever
/// happens. What the kernel holds is read back with `nft` (a test's reader, not Wharf's path).
final class NetfilterTablesTests: XCTestCase {
    private var tables: NetfilterTables?
    private var tableName = ""

    override func setUpWithError() throws {
        tables = try NetfilterTables()
        tableName = "wharf_test_" + netTestRandomHex()
    }

    override func tearDown() {
        if let tables { XCTAssertNoThrow(try tables.delete(tableNamed: tableName)) }
        tables = nil
    }

    private func publishing(port: UInt16, to address: IPv4Address, _ targetPort: UInt16) -> NftRule {
        NftRule([
            .destinationAddressType(into: .one),
            .compareAddressTypeIsLocal(.one),
            .meta(.l4Protocol, into: .one),
            .compare(.one, equal: true, bytes: [6]),
            .payload(.transport, offset: 2, length: 2, into: .one),
            .compare(.one, equal: true, bytes: withUnsafeBytes(of: port.bigEndian) { Array($0) }),
            .immediate(withUnsafeBytes(of: address.value.bigEndian) { Array($0) }, into: .one),
            .immediate(withUnsafeBytes(of: targetPort.bigEndian) { Array($0) }, into: .two),
            .destinationNAT(address: .one, port: .two),
        ])
    }

    private func table(port: UInt16) -> NftTable {
        let target = IPv4Address(10, 231, 7, 9)
        return NftTable(name: tableName, chains: [
            NftChain(name: "prerouting", hook: .prerouting, priority: -100, rules: [publishing(port: port, to: target, 80)]),
            NftChain(name: "output", hook: .output, priority: -100, rules: [publishing(port: port, to: target, 80)]),
            NftChain(name: "postrouting", hook: .postrouting, priority: 100, rules: [
                NftRule([.meta(.inputInterfaceName, into: .one), .compareInterfaceName(.one, equal: true, "wtbtest0"), .masquerade]),
            ]),
        ])
    }

    private func listed() throws -> String {
        try Subprocess.shell("nft list table ip \(tableName)")
    }

    func testWritesNATChainsTheKernelShowsAsWritten() throws {
        let tables = try XCTUnwrap(tables)
        try tables.replace(table(port: 18080))
        let text = try listed()
        XCTAssertEqual(text.components(separatedBy: "fib daddr type local tcp dport 18080 dnat to 10.231.7.9:80").count, 3, text)
        XCTAssertTrue(text.contains("type nat hook prerouting priority dstnat; policy accept;"), text)
        XCTAssertTrue(text.contains("type nat hook output priority -100; policy accept;"), text)
        XCTAssertTrue(text.contains("type nat hook postrouting priority srcnat; policy accept;"), text)
        XCTAssertTrue(text.contains("iifname \"wtbtest0\" masquerade"), text)
        XCTAssertTrue(try tables.tableNames().contains(tableName))
    }

    func testReplacingATableLeavesOnlyTheNewRules() throws {
        let tables = try XCTUnwrap(tables)
        try tables.replace(table(port: 18080))
        try tables.replace(table(port: 18081))
        try tables.replace(table(port: 18081))
        let text = try listed()
        XCTAssertFalse(text.contains("18080"), text)
        XCTAssertEqual(text.components(separatedBy: "tcp dport 18081").count, 3, text)
    }

    func testARejectedTableChangesNothing() throws {
        let tables = try XCTUnwrap(tables)
        try tables.replace(table(port: 18080))
        var bad = table(port: 18082)
        // Destination NAT is not allowed after routing: the kernel refuses the transaction.
        bad.chains[2].rules.append(publishing(port: 18083, to: IPv4Address(10, 231, 7, 10), 80))
        XCTAssertThrowsError(try tables.replace(bad)) { error in
            XCTAssertEqual((error as? SystemError)?.call, "nf_tables batch")
            XCTAssertTrue((error as? SystemError)?.step.contains("write nftables table ip \(self.tableName)") == true, "\(error)")
        }
        let text = try listed()
        XCTAssertTrue(text.contains("tcp dport 18080"), text)
        XCTAssertFalse(text.contains("18082"), text)
    }

    func testDeletingATableRemovesItAndIsIdempotent() throws {
        let tables = try XCTUnwrap(tables)
        try tables.replace(table(port: 18080))
        XCTAssertTrue(try tables.delete(tableNamed: tableName))
        XCTAssertFalse(try tables.delete(tableNamed: tableName))
        XCTAssertFalse(try tables.tableNames().contains(tableName))
    }
}

extension NetfilterTablesTests {
    func testFilterChainsAndDropVerdicts() throws {
        let tables = try XCTUnwrap(tables)
        try tables.replace(NftTable(name: tableName, chains: [
            NftChain(name: "guard", type: .filter, hook: .prerouting, priority: -300, rules: [
                NftRule([
                    .meta(.inputInterfaceName, into: .one), .compareInterfaceName(.one, equal: true, "wtbtest0"),
                    .payload(.network, offset: 16, length: 1, into: .one), .compare(.one, equal: true, bytes: [127]), .drop,
                ]),
            ]),
        ]))
        let text = try Subprocess.shell("nft list table ip \(tableName)")
        XCTAssertTrue(text.contains("type filter hook prerouting priority raw; policy accept;"), text)
        XCTAssertTrue(text.contains("iifname \"wtbtest0\" ip daddr 127.0.0.0/8 drop"), text)
    }
}

extension NetfilterTablesTests {
    /// A port map in a base chain sends each port to its own regular chain; entries and chains
    /// come and go in transactions of their own while the base chain stays.
    func testPortVerdictMapsJumpToRegularChainsAddedAndRemovedAlone() throws {
        let tables = try XCTUnwrap(tables)
        let lookup = NftRule([
            .meta(.l4Protocol, into: .one), .compare(.one, equal: true, bytes: [6]),
            .payload(.transport, offset: 2, length: 2, into: .one), .lookupVerdict(map: "tcp_ports", key: .one),
        ])
        // The map and the rule looking it up in one batch (the rule finds the map by its id).
        try tables.commit([
            .addTable(tableName), .addPortVerdictMap(table: tableName, name: "tcp_ports"),
            .addChain(table: tableName, NftChain(name: "prerouting", hook: .prerouting, priority: -100, rules: [lookup])),
        ], step: "base")
        let target = NftRule([
            .immediate([10, 231, 7, 9], into: .one), .immediate(withUnsafeBytes(of: UInt16(80).bigEndian) { Array($0) }, into: .two),
            .destinationNAT(address: .one, port: .two),
        ])
        try tables.commit([
            .addChain(table: tableName, NftChain(regular: "task_a", rules: [target])),
            .addPortJumps(table: tableName, map: "tcp_ports", ports: [18080, 18081], chain: "task_a"),
        ], step: "publish")
        var text = try Subprocess.shell("nft list table ip \(tableName)")
        XCTAssertTrue(text.contains("tcp dport vmap @tcp_ports"), text)
        XCTAssertTrue(text.contains("18080 : jump task_a") && text.contains("18081 : jump task_a"), text)
        XCTAssertTrue(text.contains("dnat to 10.231.7.9:80"), text)
        XCTAssertEqual(try tables.chainNames(table: tableName).sorted(), ["prerouting", "task_a"])

        // A chain still jumped to cannot go alone; with its entries it can.
        XCTAssertThrowsError(try tables.commit([.deleteChain(table: tableName, chain: "task_a")], step: "chain alone")) {
            XCTAssertEqual(($0 as? SystemError)?.errno, EBUSY)
        }
        try tables.commit([
            .deletePorts(table: tableName, map: "tcp_ports", ports: [18080, 18081]), .deleteChain(table: tableName, chain: "task_a"),
        ], step: "unpublish")
        text = try Subprocess.shell("nft list table ip \(tableName)")
        XCTAssertFalse(text.contains("task_a"), text)
        XCTAssertEqual(try tables.chainNames(table: tableName), ["prerouting"])
        XCTAssertThrowsError(try tables.commit([.deleteChain(table: tableName, chain: "task_a")], step: "again")) {
            XCTAssertEqual(($0 as? SystemError)?.errno, ENOENT)
        }
    }
}
