import Foundation
import LinuxHost
import Runtime
import XCTest

/// Network namespaces prepared ahead of awsvpc launches: the pool fills after the first launch,
/// launches from it get the same network as any other (their task's id is the one the network
/// was made for, its host end named after it), its host ends are no task's while prepared (no
/// sweep or leak check touches them) and it goes when the runtime's resources are removed.
final class NetworkPoolTests: XCTestCase {
    var fixture: RuntimeFixture!

    override func setUpWithError() throws { fixture = try RuntimeFixture() }
    override func tearDown() {
        fixture?.tearDown()
        // XCTest keeps every test case object until the run ends: the runtime (its netlink
        // sockets, inotify instances and threads) goes now.
        fixture = nil
    }

    /// Host ends of this fixture's prepared networks (the veth prefix, and the prepared mark).
    private func preparedVeths() throws -> [NetworkLink] {
        try RouteNetlink().links().filter {
            $0.kind == "veth" && $0.name.hasPrefix(fixture.configuration.vethPrefix) && $0.alias == "wharf-prepared"
        }
    }

    private func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(10_000)
        }
        return try condition()
    }

    private func waitForFullPool() throws {
        let size = fixture.configuration.networkPoolSize
        let filled = try waitUntil(seconds: 10) { try preparedVeths().count == size }
        let names = try preparedVeths().map(\.name)
        XCTAssertTrue(filled, "pool never filled: \(names)")
    }

    func testPoolFillsAfterFirstLaunchAndPooledLaunchGetsAFullNetwork() throws {
        XCTAssertEqual(try preparedVeths(), [], "no pool before the first launch")
        let first = try fixture.launch(RuntimeFixture.webServer)
        XCTAssertEqual(first.lastStatus, "RUNNING")
        try waitForFullPool()
        let bridge = try XCTUnwrap(try RouteNetlink().linkIndex(named: fixture.configuration.bridgeName))
        let prepared = try preparedVeths()
        for veth in prepared {
            XCTAssertEqual(veth.masterIndex, bridge, "\(veth.name) is not on the bridge")
            XCTAssertFalse(veth.isUp, "\(veth.name) is up before a task took it")
        }

        // This launch takes a prepared namespace: it must look exactly like a fresh one.
        let subnet = try XCTUnwrap(fixture.configuration.subnet)
        let probe = try fixture.launch(
            RuntimeFixture.task(["sh", "-c", "ip addr show eth0; ip route; ls /sys/class/net"]), until: { $0.lastStatus == "STOPPED" })
        XCTAssertEqual(probe.containers.first?.exitCode, 0)
        let address = try XCTUnwrap(probe.address)
        let output = try String(contentsOfFile: fixture.runtime.logPath(task: probe.id, container: "main"), encoding: .utf8)
        XCTAssertTrue(output.contains("inet \(address)/\(subnet.prefixLength)"), output)
        XCTAssertTrue(output.contains("default via \(subnet.gateway) dev eth0"), output)
        XCTAssertTrue(output.hasSuffix("eth0\nlo\n"), output)

        // A pooled web server answers on its address, through its task-named veth.
        let second = try fixture.launch(RuntimeFixture.webServer)
        let secondAddress = try XCTUnwrap(second.address)
        XCTAssertEqual(pollHTTP(secondAddress), "hello from wharf busybox\n")
        let vethName = fixture.configuration.vethPrefix + String(second.id.prefix(15 - fixture.configuration.vethPrefix.count))
        let veth = try XCTUnwrap(try RouteNetlink().links().first { $0.name == vethName }, "the task's veth is named after it")
        XCTAssertEqual(veth.masterIndex, bridge)
        XCTAssertTrue(veth.isUp)
        XCTAssertNil(veth.alias, "a taken network is no longer marked as prepared")
        // Both launches after the pool filled took a prepared network: the one made for their id.
        XCTAssertTrue(prepared.contains { $0.name == vethName } || prepared.contains {
            $0.name == fixture.configuration.vethPrefix + String(probe.id.prefix(15 - fixture.configuration.vethPrefix.count))
        }, "neither pooled launch has the id of a prepared network: \(prepared.map(\.name)), \(probe.id), \(second.id)")
        try waitForFullPool()
    }

    func testPreparedNetworksAreNoTasksResources() throws {
        let task = try fixture.launch(RuntimeFixture.task(["true"]), until: { $0.lastStatus == "STOPPED" })
        try fixture.runtime.remove(task.id)
        try waitForFullPool()
        XCTAssertEqual(fixture.leftovers(), [], "a prepared network was reported as a leak")

        // Another runtime on the same configuration (a CLI next to the daemon) sweeps orphans
        // at start-up: the daemon's prepared networks are not orphans.
        _ = try ContainerRuntime(configuration: fixture.configuration)
        XCTAssertEqual(try preparedVeths().count, fixture.configuration.networkPoolSize, "the sweep took prepared networks")
    }

    /// A prepared end is made under its task's name and marked only by a second request: until
    /// then, being down on the bridge is what keeps sweeps off it. Once up, a veth named after
    /// a task that does not exist is an orphan.
    func testAVethDownOnTheBridgeIsNoTasksUntilItIsUp() throws {
        try fixture.launch(RuntimeFixture.task(["true"]), until: { $0.lastStatus == "STOPPED" })
        let netlink = try RouteNetlink()
        let bridge = try XCTUnwrap(try netlink.linkIndex(named: fixture.configuration.bridgeName))
        let id = (0..<32).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
        let name = fixture.configuration.vethPrefix + String(id.prefix(15 - fixture.configuration.vethPrefix.count))
        // The peer in a namespace of its own, as a prepared network's eth0 is.
        let namespace = try NetworkNamespace.create()
        defer { close(namespace) }
        try netlink.createVethPair(hostName: name, peerName: "eth0", peerNamespaceFD: namespace, hostMasterIndex: bridge)
        defer { _ = try? netlink.deleteLink(named: name) }
        XCTAssertFalse(fixture.leftovers().contains("veth \(name)"), "\(fixture.leftovers())")
        fixture.runtime.reconcile()
        XCTAssertNotNil(try netlink.linkIndex(named: name), "the sweep took a veth being prepared")
        try netlink.setUp(linkIndex: try XCTUnwrap(try netlink.linkIndex(named: name)))
        XCTAssertTrue(fixture.leftovers().contains("veth \(name)"), "\(fixture.leftovers())")
        fixture.runtime.reconcile()
        XCTAssertNil(try netlink.linkIndex(named: name), "an orphaned task veth is swept")
    }

    func testRemovingTheRuntimesResourcesDestroysThePool() throws {
        try fixture.launch(RuntimeFixture.task(["true"]), until: { $0.lastStatus == "STOPPED" })
        try waitForFullPool()
        fixture.runtime.removeEverything()
        XCTAssertTrue(try waitUntil(seconds: 10) { try preparedVeths().isEmpty }, "prepared networks outlived the runtime's removal")
        // No refill after the removal.
        usleep(200_000)
        XCTAssertEqual(try preparedVeths(), [])
    }

    func testPoolOfSizeZeroPreparesNothing() throws {
        fixture.tearDown()
        fixture = try RuntimeFixture { $0.networkPoolSize = 0 }
        let web = try fixture.launch(RuntimeFixture.webServer)
        XCTAssertEqual(pollHTTP(try XCTUnwrap(web.address)), "hello from wharf busybox\n")
        usleep(200_000)
        XCTAssertEqual(try preparedVeths(), [])
    }

    /// The host end has IPv6 off (no address, no multicast route in the host's table that
    /// every port's state change would walk), eth0 has no link-local address, and the bridge
    /// does no multicast snooping (whose timers every port's state change re-arms).
    func testTaskVethsHaveNoIPv6OnTheHostSideAndNoLinkLocalAddressInside() throws {
        // The first launch makes its network inline, the second takes a prepared one.
        for round in 0..<2 {
            let task = try fixture.launch(RuntimeFixture.task(["sh", "-c", "cat /proc/net/if_inet6; sleep 30"]) { $0.initProcessEnabled = true })
            if round == 0 { try waitForFullPool() }
            let vethName = fixture.configuration.vethPrefix + String(task.id.prefix(15 - fixture.configuration.vethPrefix.count))
            // A link-local address would be listed at once, while still tentative.
            usleep(300_000)
            let host = try String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8)
            XCTAssertFalse(host.contains(" \(vethName)\n"), "round \(round): the host end has IPv6 addresses:\n\(host)")
            XCTAssertEqual(try FileSystem.read("/proc/sys/net/ipv6/conf/\(vethName)/disable_ipv6"), "1\n", "round \(round)")
            let routes = try String(contentsOfFile: "/proc/net/ipv6_route", encoding: .utf8)
            XCTAssertFalse(routes.split(separator: "\n").contains { $0.hasSuffix(" \(vethName)") },
                           "round \(round): the host end has IPv6 routes:\n\(routes)")
            let snooping = "/sys/class/net/\(fixture.configuration.bridgeName)/bridge/multicast_snooping"
            XCTAssertEqual(try FileSystem.read(snooping), "0\n", "the task bridge does no multicast snooping")
            let inside = try String(contentsOfFile: fixture.runtime.logPath(task: task.id, container: "main"), encoding: .utf8)
            XCTAssertFalse(inside.contains("eth0"), "round \(round): eth0 has IPv6 addresses:\n\(inside)")
            try fixture.runtime.stop(task.id)
            try fixture.runtime.wait(task.id, timeout: 10)
        }
    }
}
