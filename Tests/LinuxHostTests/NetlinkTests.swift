import Glibc
import XCTest

@testable import LinuxHost

/// Real rtnetlink tests (root): a private bridge, veth pairs and namespaces, all uniquely named
/// and removed in `tearDown` whatever happens. Traffic only goes to addresses inside
/// namespaces this test created.
final class NetlinkTests: XCTestCase {
    private var host: RouteNetlink?
    private var namespaceFDs: [Int32] = []
    private var bridgeName = ""
    private var vethNames: [String] = []
    private var subnet = IPv4Network.defaultRoute

    override func setUpWithError() throws {
        let netlink = try RouteNetlink()
        host = netlink
        bridgeName = "wtb" + netTestRandomHex()
        // A random 10.231.x.0/24 that no existing host route overlaps.
        let routes = try netlink.routes()
        for _ in 0..<64 {
            let candidate = IPv4Network(address: IPv4Address(10, 231, UInt8.random(in: 0...255), 0), prefixLength: 24)
            if let candidate, !routes.contains(where: { !$0.isDefault && $0.destination.overlaps(candidate) }) {
                subnet = candidate
                return
            }
        }
        throw SystemError(step: "pick a free test subnet", call: "RTM_GETROUTE", errno: EADDRINUSE)
    }

    override func tearDown() {
        if let host {
            for name in vethNames { XCTAssertNoThrow(try host.deleteLink(named: name)) }
            XCTAssertNoThrow(try host.deleteLink(named: bridgeName))
            XCTAssertNil(try host.linkIndex(named: bridgeName), "bridge left behind")
        }
        host = nil
        for fd in namespaceFDs { close(fd) }
        namespaceFDs = []
    }

    private func newVethName() -> String {
        let name = "wtv" + netTestRandomHex()
        vethNames.append(name)
        return name
    }

    /// A new namespace, closed (and so destroyed) in `tearDown`; `path` names it for tools.
    private func newNamespace() throws -> (path: String, fd: Int32) {
        let fd = try NetworkNamespace.create()
        namespaceFDs.append(fd)
        return ("/proc/\(getpid())/fd/\(fd)", fd)
    }

    private func makeBridge() throws -> (RouteNetlink, Int32) {
        let host = try XCTUnwrap(host)
        XCTAssertTrue(try host.createBridge(named: bridgeName))
        let bridge = try XCTUnwrap(try host.linkIndex(named: bridgeName))
        try host.addAddress(subnet.gateway, prefixLength: subnet.prefixLength, linkIndex: bridge)
        try host.setUp(linkIndex: bridge)
        return (host, bridge)
    }

    /// The awsvpc launch sequence: veth into the task namespace, master, up, address, lo up,
    /// eth0 up, default route. Returns the elapsed nanoseconds.
    private func launchTaskNetwork(
        host: RouteNetlink, bridge: Int32, task: RouteNetlink, namespaceFD: Int32, vethName: String,
        address: IPv4Address
    ) throws -> UInt64 {
        let start = netTestMonotonicNanoseconds()
        try host.createVethPair(hostName: vethName, peerName: "eth0", peerNamespaceFD: namespaceFD)
        let hostEnd = try XCTUnwrap(try host.linkIndex(named: vethName))
        try host.setMaster(linkIndex: hostEnd, masterIndex: bridge)
        try host.setUp(linkIndex: hostEnd)
        let eth0 = try XCTUnwrap(try task.linkIndex(named: "eth0"))
        try task.addAddress(address, prefixLength: subnet.prefixLength, linkIndex: eth0)
        try task.setUp(linkIndex: 1)  // lo is always index 1 in a new namespace
        try task.setUp(linkIndex: eth0)
        try task.addDefaultRoute(gateway: subnet.gateway)
        return netTestMonotonicNanoseconds() - start
    }

    func testTaskNetworkEndToEnd() throws {
        let (host, bridge) = try makeBridge()
        let namespace = try newNamespace()
        let task = try RouteNetlink(namespaceFD: namespace.fd)
        let vethName = newVethName()
        let taskAddress = subnet.gateway.advanced(by: 1)

        let elapsed = try launchTaskNetwork(
            host: host, bridge: bridge, task: task, namespaceFD: namespace.fd, vethName: vethName, address: taskAddress)
        print("awsvpc launch sequence (first, cold): \(elapsed / 1000) µs")

        // Host side: the veth end is enslaved to our bridge and up.
        let hostLinks = try host.links()
        let hostEnd = try XCTUnwrap(hostLinks.first { $0.name == vethName })
        XCTAssertEqual(hostEnd.kind, "veth")
        XCTAssertEqual(hostEnd.masterIndex, bridge)
        XCTAssertTrue(hostEnd.isUp)
        XCTAssertEqual(hostLinks.first { $0.index == bridge }?.kind, "bridge")
        XCTAssertNil(hostLinks.first { $0.name == "eth0" && $0.kind == "veth" && $0.masterIndex == bridge })

        // Task side, seen through the socket inside the namespace.
        let taskLinks = try task.links()
        XCTAssertEqual(Set(taskLinks.map(\.name)), ["lo", "eth0"])
        let eth0 = try XCTUnwrap(taskLinks.first { $0.name == "eth0" })
        XCTAssertTrue(eth0.isUp)
        XCTAssertEqual(eth0.kind, "veth")
        XCTAssertEqual(taskLinks.first { $0.name == "lo" }?.isUp, true)
        XCTAssertEqual(
            try task.addresses(linkIndex: eth0.index),
            [InterfaceAddress(address: taskAddress, prefixLength: 24, linkIndex: eth0.index)])
        let routes = try task.routes()
        XCTAssertTrue(routes.contains(IPv4Route(destination: .defaultRoute, gateway: subnet.gateway, linkIndex: eth0.index)),
                      "\(routes)")
        XCTAssertTrue(routes.contains { $0.destination == subnet && $0.gateway == nil && $0.linkIndex == eth0.index },
                      "\(routes)")
        XCTAssertTrue(try host.addresses(linkIndex: bridge).contains { $0.address == subnet.gateway })

        // Independent check with iproute2 (test-only).
        let ipLink = try netTestRunTool("/usr/sbin/ip", "-d", "link", "show", vethName)
        XCTAssertTrue(ipLink.contains("master \(bridgeName)"), ipLink)
        XCTAssertTrue(ipLink.contains("veth"), ipLink)
        let ipAddr = try netTestRunTool("/usr/bin/nsenter", "--net=\(namespace.path)", "/usr/sbin/ip", "-4", "addr", "show", "eth0")
        XCTAssertTrue(ipAddr.contains("inet \(taskAddress)/24"), ipAddr)
        let ipRoute = try netTestRunTool("/usr/bin/nsenter", "--net=\(namespace.path)", "/usr/sbin/ip", "route", "show", "default")
        XCTAssertTrue(ipRoute.contains("default via \(subnet.gateway) dev eth0"), ipRoute)

        // Connectivity: a TCP listener created inside the namespace, reached from the host.
        try assertTCPRoundTrip(namespaceFD: namespace.fd, address: taskAddress)
    }

    /// The same launch with master and up folded into the veth-creating request.
    private func launchTaskNetworkFolded(
        host: RouteNetlink, bridge: Int32, task: RouteNetlink, namespaceFD: Int32, vethName: String,
        address: IPv4Address
    ) throws -> UInt64 {
        let start = netTestMonotonicNanoseconds()
        try host.createVethPair(
            hostName: vethName, peerName: "eth0", peerNamespaceFD: namespaceFD, hostMasterIndex: bridge, hostUp: true)
        let eth0 = try XCTUnwrap(try task.linkIndex(named: "eth0"))
        try task.addAddress(address, prefixLength: subnet.prefixLength, linkIndex: eth0)
        try task.setUp(linkIndex: 1)
        try task.setUp(linkIndex: eth0)
        try task.addDefaultRoute(gateway: subnet.gateway)
        return netTestMonotonicNanoseconds() - start
    }

    func testLaunchSequenceTiming() throws {
        let (host, bridge) = try makeBridge()
        var stepwise: [UInt64] = []
        var folded: [UInt64] = []
        var socketOpen: [UInt64] = []
        for round in 0..<10 {
            let namespace = try newNamespace()
            let start = netTestMonotonicNanoseconds()
            let task = try RouteNetlink(namespaceFD: namespace.fd)
            socketOpen.append(netTestMonotonicNanoseconds() - start)
            let vethName = newVethName()
            let address = subnet.gateway.advanced(by: 1 + round)
            if round % 2 == 0 {
                stepwise.append(try launchTaskNetwork(
                    host: host, bridge: bridge, task: task, namespaceFD: namespace.fd, vethName: vethName, address: address))
            } else {
                folded.append(try launchTaskNetworkFolded(
                    host: host, bridge: bridge, task: task, namespaceFD: namespace.fd, vethName: vethName, address: address))
                // The folded request must leave the same state as the step-by-step one.
                let hostEnd = try XCTUnwrap(try host.link(named: vethName))
                XCTAssertEqual(hostEnd.masterIndex, bridge)
                XCTAssertTrue(hostEnd.isUp)
                XCTAssertEqual(try task.link(named: "eth0")?.isUp, true)
                XCTAssertTrue(try task.routes().contains { $0.isDefault && $0.gateway == subnet.gateway })
            }
        }
        func summary(_ values: [UInt64]) -> String {
            let sorted = values.sorted()
            return "\(values.map { $0 / 1000 }) µs, median \(sorted[sorted.count / 2] / 1000) µs"
        }
        print("awsvpc launch, step by step (veth, lookup, master, up, lookup eth0, addr, lo up, eth0 up, route): "
              + summary(stepwise))
        print("awsvpc launch, folded (veth+master+host up, lookup eth0, addr, lo up, eth0 up, route): " + summary(folded))
        print("opening a task namespace's netlink socket: " + summary(socketOpen))
    }

    /// The prepared-network sequence: the creating request's echo names both ends, `lo` comes
    /// up by name, and `eth0` set up without IPv6 address generation (while its host end is
    /// down) gets no link-local address once the host end comes up.
    func testVethEchoNamesBothEndsAndPeerComesUpWithoutLinkLocal() throws {
        let (host, bridge) = try makeBridge()
        let namespace = try newNamespace()
        let task = try RouteNetlink(namespaceFD: namespace.fd)
        let vethName = newVethName()

        let echoed = try host.createVethPair(
            hostName: vethName, peerName: "eth0", peerNamespaceFD: namespace.fd, hostMasterIndex: bridge, hostUp: false)
        let hostIndex: Int32
        let eth0: Int32
        if Self.kernelEchoesLinkCreation {
            let created = try XCTUnwrap(echoed, "this kernel (6.1+) echoes link creation")
            XCTAssertEqual(created.name, vethName)
            XCTAssertEqual(created.kind, "veth")
            XCTAssertEqual(created.index, try host.linkIndex(named: vethName))
            hostIndex = created.index
            eth0 = try XCTUnwrap(created.peerIndex)
            XCTAssertEqual(eth0, try task.linkIndex(named: "eth0"))
        } else {
            // Before 6.1 there is no echo: the caller looks both ends up, as here.
            XCTAssertNil(echoed)
            hostIndex = try XCTUnwrap(try host.linkIndex(named: vethName))
            eth0 = try XCTUnwrap(try task.linkIndex(named: "eth0"))
        }

        try task.setUp(linkNamed: "lo")
        XCTAssertEqual(try task.link(named: "lo")?.isUp, true)
        XCTAssertThrowsError(try task.setUp(linkNamed: "wtnone0")) { error in
            XCTAssertEqual((error as? SystemError)?.errno, ENODEV)
        }

        try task.disableIPv6AddressGeneration(linkIndex: eth0, settingUp: true)
        XCTAssertEqual(try task.link(named: "eth0")?.isUp, true)
        try host.disableIPv6AddressGeneration(linkIndex: hostIndex)
        try host.setUp(linkIndex: hostIndex)
        XCTAssertEqual(try task.link(named: "eth0")?.hasCarrier, true)
        // With carrier the kernel would have made the link-local address at once.
        let inside = try withNetworkNamespace(fd: namespace.fd) { () throws(SystemError) -> String in
            try FileSystem.read("/proc/thread-self/net/if_inet6")
        }
        XCTAssertFalse(inside.contains("eth0"), inside)
    }

    /// A host booted with `ipv6.disable=1` knows no IPv6 link attributes and refuses them with
    /// EAFNOSUPPORT, as every kernel refuses an address family it does not know (the one
    /// named here): the link is still set up and nothing is thrown.
    func testTurningOffAddressGenerationOfAnUnknownFamilyStillSetsTheLinkUp() throws {
        let (host, bridge) = try makeBridge()
        let namespace = try newNamespace()
        let task = try RouteNetlink(namespaceFD: namespace.fd)
        _ = try host.createVethPair(
            hostName: newVethName(), peerName: "eth0", peerNamespaceFD: namespace.fd, hostMasterIndex: bridge, hostUp: false)
        let eth0 = try XCTUnwrap(try task.linkIndex(named: "eth0"))
        XCTAssertEqual(try task.link(named: "eth0")?.isUp, false)
        let unknownFamily: UInt16 = 250
        try task.disableAddressGeneration(linkIndex: eth0, settingUp: true, family: unknownFamily)
        XCTAssertEqual(try task.link(named: "eth0")?.isUp, true)
        // Without the set-up there is nothing to do and nothing fails.
        try task.disableAddressGeneration(linkIndex: eth0, settingUp: false, family: unknownFamily)
    }

    /// Whether the running kernel echoes RTM_NEWLINK (`NLM_F_ECHO`), which it does from 6.1.
    static var kernelEchoesLinkCreation: Bool {
        var name = utsname()
        guard uname(&name) == 0 else { return true }
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard numbers.count == 2 else { return true }
        return (numbers[0], numbers[1]) >= (6, 1)
    }

    func testDeletingMissingLinkReportsItDidNotExist() throws {
        let host = try XCTUnwrap(host)
        XCTAssertFalse(try host.deleteLink(named: "wtm" + netTestRandomHex()))
        XCTAssertNil(try host.linkIndex(named: "wtm" + netTestRandomHex()))
    }

    /// An alias is listed with its link, and setting the link up removes it in the same request.
    func testAliasIsListedAndRemovedWhenTheLinkIsSetUp() throws {
        let (host, bridge) = try makeBridge()
        let namespace = try newNamespace()
        let vethName = newVethName()
        let created = try host.createVethPair(
            hostName: vethName, peerName: "eth0", peerNamespaceFD: namespace.fd, hostMasterIndex: bridge)
        let index = try XCTUnwrap(created?.index ?? (try host.linkIndex(named: vethName)))
        XCTAssertNil(try host.links().first { $0.index == index }?.alias)
        try host.setAlias(linkIndex: index, to: "wharf-test-alias")
        let marked = try XCTUnwrap(try host.links().first { $0.index == index })
        XCTAssertEqual(marked.alias, "wharf-test-alias")
        XCTAssertFalse(marked.isUp)
        try host.setUpRemovingAlias(linkIndex: index)
        let taken = try XCTUnwrap(try host.links().first { $0.index == index })
        XCTAssertNil(taken.alias)
        XCTAssertTrue(taken.isUp)
        XCTAssertEqual(taken.masterIndex, bridge)
    }

    func testVethWithTakenNameFailsWithEEXIST() throws {
        let (host, _) = try makeBridge()
        XCTAssertThrowsError(try host.createVethPair(hostName: bridgeName, peerName: "wtp" + netTestRandomHex(), peerNamespaceFD: nil)) {
            error in
            let systemError = error as? SystemError
            XCTAssertEqual(systemError?.errno, EEXIST)
            XCTAssertEqual(systemError?.call, "RTM_NEWLINK")
            XCTAssertTrue(systemError?.step.contains("create veth pair \(bridgeName)") ?? false, "\(error)")
        }
    }

    func testCreateBridgeIsIdempotentOnlyForBridges() throws {
        let (host, bridge) = try makeBridge()
        XCTAssertFalse(try host.createBridge(named: bridgeName), "existing bridge is accepted")
        XCTAssertEqual(try host.linkIndex(named: bridgeName), bridge)

        let vethName = newVethName()
        let peerName = newVethName()
        try host.createVethPair(hostName: vethName, peerName: peerName, peerNamespaceFD: nil)
        XCTAssertEqual(try host.link(named: peerName)?.kind, "veth")
        XCTAssertThrowsError(try host.createBridge(named: vethName)) { error in
            XCTAssertEqual((error as? SystemError)?.errno, EEXIST)
        }
        XCTAssertTrue(try host.deleteLink(named: vethName))
        XCTAssertNil(try host.linkIndex(named: peerName), "deleting one end removes the pair")
    }

    func testBridgeWithoutMulticastSnoopingMadeOrSwitchedOver() throws {
        let host = try XCTUnwrap(host)
        XCTAssertTrue(try host.createBridge(named: bridgeName, multicastSnooping: false))
        XCTAssertEqual(try FileSystem.read("/sys/class/net/\(bridgeName)/bridge/multicast_snooping"), "0\n")
        XCTAssertTrue(try host.deleteLink(named: bridgeName))
        XCTAssertTrue(try host.createBridge(named: bridgeName))
        XCTAssertEqual(try FileSystem.read("/sys/class/net/\(bridgeName)/bridge/multicast_snooping"), "1\n",
                       "the kernel's default when not asked")
        XCTAssertFalse(try host.createBridge(named: bridgeName, multicastSnooping: false), "it exists")
        XCTAssertEqual(try FileSystem.read("/sys/class/net/\(bridgeName)/bridge/multicast_snooping"), "0\n",
                       "an existing bridge is switched over")
    }

    /// The bridge's MAC address is set (the kernel's `NET_ADDR_SET`, 3): a port with a lower
    /// address does not change it, nor does switching an existing bridge over.
    func testBridgeKeepsTheAddressItWasGiven() throws {
        let host = try XCTUnwrap(host)
        let address: [UInt8] = [0x0a, 0xff, 0x12, 0x34, 0x56, 0x78]
        XCTAssertTrue(try host.createBridge(named: bridgeName, address: address))
        let assignType = "/sys/class/net/\(bridgeName)/addr_assign_type"
        XCTAssertEqual(try FileSystem.read(assignType), "3\n")
        let bridge = try XCTUnwrap(try host.links().first { $0.name == bridgeName })
        XCTAssertEqual(bridge.hardwareAddress, address)
        // A port whose address is lower than the bridge's: the peer of a pair made here, with
        // the address chosen.
        let vethName = newVethName()
        let portName = newVethName()
        try host.createVethPair(hostName: vethName, peerName: portName, peerNamespaceFD: nil, peerAddress: [0x02, 0, 0, 0, 0, 1])
        let port = try XCTUnwrap(try host.links().first { $0.name == portName })
        XCTAssertEqual(port.hardwareAddress, [0x02, 0, 0, 0, 0, 1])
        try host.setMaster(linkIndex: port.index, masterIndex: bridge.index)
        try host.setUp(linkIndex: port.index)
        XCTAssertEqual(try host.links().first { $0.name == bridgeName }?.hardwareAddress, address)
        XCTAssertFalse(try host.createBridge(named: bridgeName, multicastSnooping: false), "it exists")
        XCTAssertEqual(try host.links().first { $0.name == bridgeName }?.hardwareAddress, address, "an existing bridge keeps its address")
        XCTAssertEqual(try FileSystem.read(assignType), "3\n")
    }

    /// A veth end with IPv6 off gets no multicast route when it comes up; its peer, with IPv6
    /// on, does. The name has a dot, which `sysctl` would write as a slash but `/proc/sys` keeps.
    func testDisablingIPv6KeepsALinkOutOfTheIPv6Table() throws {
        let host = try XCTUnwrap(host)
        guard try FileSystem.readIfPresent("/proc/sys/net/ipv6/conf/default/disable_ipv6") == "0\n" else {
            throw XCTSkip("new links get no IPv6 on this host, so no route to compare")
        }
        let off = "wt." + netTestRandomHex()
        vethNames.append(off)
        let on = newVethName()
        try host.createVethPair(hostName: off, peerName: on, peerNamespaceFD: nil)
        XCTAssertTrue(try InterfaceSysctl.disableIPv6(interface: off))
        XCTAssertEqual(try FileSystem.read("/proc/sys/net/ipv6/conf/\(off)/disable_ipv6"), "1\n")
        for name in [off, on] { try host.setUp(linkIndex: try XCTUnwrap(try host.linkIndex(named: name))) }
        // Carrier reaches IPv6 through the kernel's link watch, which may take up to a second.
        var routes: [Substring] = []
        for _ in 0..<60 {
            routes = try FileSystem.read("/proc/net/ipv6_route").split(separator: "\n")
            if routes.contains(where: { $0.hasSuffix(" \(on)") }) { break }
            usleep(50_000)
        }
        XCTAssertTrue(routes.contains { $0.hasSuffix(" \(on)") }, "\(on) with IPv6 on has its multicast route")
        XCTAssertFalse(routes.contains { $0.hasSuffix(" \(off)") }, "IPv6 routes of \(off): \(routes)")
        XCTAssertThrowsError(try InterfaceSysctl.disableIPv6(interface: "wtv" + netTestRandomHex())) { error in
            XCTAssertEqual((error as? SystemError)?.errno, ENOENT, "a missing link is an error: \(error)")
        }
    }

    func testVethEndsGetOneQueueEach() throws {
        let host = try XCTUnwrap(host)
        let vethName = newVethName()
        let peerName = newVethName()
        try host.createVethPair(hostName: vethName, peerName: peerName, peerNamespaceFD: nil)
        // Asked for explicitly, so the kernel never makes (and unmakes) a queue per CPU.
        for name in [vethName, peerName] {
            let queues = try FileSystem.listDirectory("/sys/class/net/\(name)/queues").sorted()
            XCTAssertEqual(queues, ["rx-0", "tx-0"], name)
        }
    }

    func testAddressValidationAndIdempotence() throws {
        let (host, bridge) = try makeBridge()
        XCTAssertFalse(try host.addAddress(subnet.gateway, prefixLength: 24, linkIndex: bridge), "already there")
        XCTAssertThrowsError(try host.addAddress(subnet.gateway, prefixLength: 33, linkIndex: bridge)) { error in
            XCTAssertEqual((error as? SystemError)?.errno, EINVAL)
        }
        XCTAssertThrowsError(try host.setUp(linkIndex: Int32.max)) { error in
            XCTAssertEqual((error as? SystemError)?.errno, ENODEV)
            XCTAssertEqual((error as? SystemError)?.call, "RTM_SETLINK")
        }
    }

    // MARK: - Helpers

    /// Listens inside the namespace, connects from the host, and exchanges a few bytes both ways.
    /// The listening socket is created while this thread is inside the namespace, which binds
    /// it there for life; the kernel completes the handshake, so no second thread is needed.
    private func assertTCPRoundTrip(namespaceFD: Int32, address: IPv4Address) throws {
        let listener = try withNetworkNamespace(fd: namespaceFD) { () throws(SystemError) -> Int32 in
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw SystemError.current(step: "test listener", call: "socket") }
            var local = socketAddress(address, port: 0)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, listen(fd, 4) == 0 else {
                let error = SystemError.current(step: "test listener", call: "bind/listen")
                close(fd)
                throw error
            }
            return fd
        }
        defer { close(listener) }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let port = UInt16(bigEndian: bound.sin_port)

        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        XCTAssertGreaterThanOrEqual(client, 0)
        defer { close(client) }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        for fd in [client, listener] {
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        var remote = socketAddress(address, port: port)
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(connected, 0, "connect to \(address):\(port): errno \(errno)")
        let server = accept(listener, nil, nil)
        XCTAssertGreaterThanOrEqual(server, 0, "accept: errno \(errno)")
        defer { close(server) }

        var ping: [UInt8] = Array("ping".utf8)
        XCTAssertEqual(write(client, &ping, 4), 4)
        var received = [UInt8](repeating: 0, count: 4)
        XCTAssertEqual(read(server, &received, 4), 4)
        XCTAssertEqual(received, ping)
        var pong: [UInt8] = Array("pong".utf8)
        XCTAssertEqual(write(server, &pong, 4), 4)
        XCTAssertEqual(read(client, &received, 4), 4)
        XCTAssertEqual(received, pong)
    }

    private func socketAddress(_ address: IPv4Address, port: UInt16) -> sockaddr_in {
        var result = sockaddr_in()
        result.sin_family = sa_family_t(AF_INET)
        result.sin_port = port.bigEndian
        result.sin_addr = in_addr(s_addr: address.value.bigEndian)
        return result
    }
}

func netTestMonotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// Runs a verification tool (tests only) and returns its standard output.
func netTestRunTool(_ executable: String, _ arguments: String...) throws -> String {
    var pipeFDs: [Int32] = [0, 0]
    guard pipe(&pipeFDs) == 0 else { throw SystemError.current(step: "run \(executable)", call: "pipe") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
    posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    close(pipeFDs[1])
    defer { close(pipeFDs[0]) }
    guard spawned == 0 else { throw SystemError(step: "run \(executable)", call: "posix_spawn", errno: spawned) }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(pipeFDs[0], $0.baseAddress, $0.count) }
        if count <= 0 { break }
        output.append(contentsOf: chunk[0..<count])
    }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return String(decoding: output, as: UTF8.self)
}
