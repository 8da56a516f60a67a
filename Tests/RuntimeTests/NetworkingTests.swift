import Foundation
import LinuxHost
import Runtime
import XCTest

/// What each network mode gives a task: awsvpc its own address, eth0 and default route through
/// the bridge; `none` only loopback; `host` the host's interfaces.
final class NetworkingTests: XCTestCase {
    var fixture: RuntimeFixture!

    override func setUpWithError() throws { fixture = try RuntimeFixture() }
    override func tearDown() {
        fixture?.tearDown()
        // XCTest keeps every test case object until the run ends: the runtime (its netlink
        // sockets, inotify instances and threads) goes now.
        fixture = nil
    }

    func testConcurrentTasksGetDistinctAddressesInSubnetAndBothServeHTTP() throws {
        let subnet = try XCTUnwrap(fixture.configuration.subnet)
        let first = try fixture.launch(RuntimeFixture.webServer)
        let second = try fixture.launch(RuntimeFixture.webServer)
        XCTAssertEqual(first.lastStatus, "RUNNING")
        XCTAssertEqual(second.lastStatus, "RUNNING")
        let firstAddress = try XCTUnwrap(first.address.flatMap(IPv4Address.init))
        let secondAddress = try XCTUnwrap(second.address.flatMap(IPv4Address.init))
        XCTAssertNotEqual(firstAddress, secondAddress)
        for address in [firstAddress, secondAddress] {
            XCTAssertTrue(subnet.contains(address), "\(address) is outside \(subnet)")
            XCTAssertNotEqual(address, subnet.gateway, "the gateway belongs to the bridge")
            // Both servers run at the same time: each must answer on its own address.
            XCTAssertEqual(pollHTTP(address.description), "hello from wharf busybox\n", "no answer from \(address)")
        }
    }

    func testEth0HasTaskAddressAndDefaultRouteViaGateway() throws {
        let subnet = try XCTUnwrap(fixture.configuration.subnet)
        let status = try fixture.launch(
            RuntimeFixture.task(["sh", "-c", "ip addr show eth0; ip route"]), until: { $0.lastStatus == "STOPPED" })
        XCTAssertEqual(status.containers.first?.exitCode, 0)
        let address = try XCTUnwrap(status.address)
        let output = try log(of: status.id)
        XCTAssertTrue(output.contains("inet \(address)/\(subnet.prefixLength)"), output)
        XCTAssertTrue(output.contains("default via \(subnet.gateway) dev eth0"), output)
        let mac = try XCTUnwrap(status.macAddress, "an awsvpc task reports eth0's MAC address")
        XCTAssertTrue(output.contains("link/ether \(mac) "), "eth0 has the reported MAC \(mac): \(output)")
        XCTAssertEqual(status.containers.first?.imageDigest,
                       try fixture.runtime.images.resolve(reference: "busybox").record.manifestDigest.description,
                       "the status names the manifest digest of the image the launch resolved")
    }

    func testABridgeThatExistsAlreadyIsSwitchedToNoMulticastSnooping() throws {
        // As an older Wharf left it: made with the kernel's default, snooping on.
        let netlink = try RouteNetlink()
        let name = fixture.configuration.bridgeName
        XCTAssertTrue(try netlink.createBridge(named: name), "no launch has made the fixture's bridge yet")
        let snooping = "/sys/class/net/\(name)/bridge/multicast_snooping"
        XCTAssertEqual(try FileSystem.read(snooping), "1\n")
        let status = try fixture.launch(RuntimeFixture.task(["true"]), until: { $0.lastStatus == "STOPPED" })
        XCTAssertEqual(status.containers.first?.exitCode, 0)
        XCTAssertEqual(try FileSystem.read(snooping), "0\n")
    }

    func testNoneModeHasOnlyLoopback() throws {
        let status = try fixture.launch(
            RuntimeFixture.task(["ls", "/sys/class/net"], network: .none), until: { $0.lastStatus == "STOPPED" })
        XCTAssertEqual(status.containers.first?.exitCode, 0)
        XCTAssertNil(status.address, "a task without a network gets no address")
        let interfaces = try log(of: status.id).split(whereSeparator: \.isWhitespace).map(String.init)
        XCTAssertEqual(interfaces, ["lo"])
    }

    func testHostModeSeesHostInterfaces() throws {
        // An awsvpc task first, so the fixture's bridge and a task veth exist on the host.
        let web = try fixture.launch(RuntimeFixture.webServer)
        XCTAssertEqual(web.lastStatus, "RUNNING")
        let status = try fixture.launch(
            RuntimeFixture.task(["ls", "/sys/class/net"], network: .host), until: { $0.lastStatus == "STOPPED" })
        XCTAssertEqual(status.containers.first?.exitCode, 0)
        XCTAssertNil(status.address)
        let interfaces = Set(try log(of: status.id).split(whereSeparator: \.isWhitespace).map(String.init))
        // The host's bridge and the other task's host-side veth are visible: this is the host namespace.
        let prefix = fixture.configuration.vethPrefix
        let webVeth = prefix + String(web.id.prefix(15 - prefix.count))
        XCTAssertTrue(interfaces.contains(fixture.configuration.bridgeName), "\(interfaces)")
        XCTAssertTrue(interfaces.contains(webVeth), "\(interfaces)")
    }

    func testAwsvpcHostnameIsDerivedFromAddress() throws {
        let status = try fixture.launch(RuntimeFixture.task(["hostname"]), until: { $0.lastStatus == "STOPPED" })
        XCTAssertEqual(status.containers.first?.exitCode, 0)
        let address = try XCTUnwrap(status.address)
        let expected = "ip-" + address.replacingOccurrences(of: ".", with: "-")
        XCTAssertEqual(try log(of: status.id).trimmingCharacters(in: .whitespacesAndNewlines), expected)
        XCTAssertEqual(status.hostname, expected)
    }

    // MARK: - Helpers

    /// The main container's log; it is complete once the task is STOPPED.
    private func log(of id: String) throws -> String {
        let path = try fixture.runtime.logPath(task: id, container: "main")
        return try String(contentsOfFile: path, encoding: .utf8)
    }

}
