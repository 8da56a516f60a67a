import Foundation
import LinuxHost
import Runtime
import WharfTestSupport
import XCTest

/// Bridge mode: an awsvpc network whose port mappings are also published on the host through
/// the task's own NAT table. Traffic goes only to the host's own addresses (loopback and the
/// fixture's bridge) and to tasks of the fixture.
final class BridgeModeTests: XCTestCase {
    var fixture: RuntimeFixture!
    /// A dynamic range of its own, so concurrent runs do not take each other's ports.
    var dynamicRange: ClosedRange<UInt16> = 0...0

    override func setUpWithError() throws {
        let start = UInt16.random(in: 42000...48000)
        dynamicRange = start...(start + 31)
        let range = dynamicRange
        fixture = try RuntimeFixture { $0.dynamicHostPortRange = range }
    }

    override func tearDown() {
        fixture?.tearDown()
        fixture = nil
    }

    /// busybox httpd on 8080 in bridge mode with `mappings` (container 8080 each).
    private func webServer(hostPorts: [Int?]) -> TaskSpec {
        var spec = RuntimeFixture.webServer
        spec.networkMode = .bridge
        spec.containers[0].portMappings = hostPorts.map { PortMapping(containerPort: 8080, hostPort: $0) }
        return spec
    }

    /// The chains of the fixture bridge's table.
    private func natChains() throws -> [String] {
        try NetfilterTables().chainNames(table: fixture.configuration.natTableName).sorted()
    }

    private let baseChains = ["loopback-guard", "output", "postrouting", "prerouting"]

    func testPublishedPortsReachTheTaskFromTheHostUntilItStops() throws {
        let staticPort = try FreePort.pick()
        let status = try fixture.launch(webServer(hostPorts: [nil, staticPort]))
        XCTAssertEqual(status.lastStatus, "RUNNING")
        XCTAssertEqual(status.networkMode, .bridge)
        XCTAssertNotNil(status.address, "a bridge task has its own address, as an awsvpc one")
        XCTAssertEqual(status.portBindings.count, 2, "\(status.portBindings)")
        let dynamic = try XCTUnwrap(status.portBindings.first)
        XCTAssertTrue(dynamicRange.contains(UInt16(dynamic.hostPort)), "dynamic port \(dynamic.hostPort) outside \(dynamicRange)")
        XCTAssertEqual(dynamic.containerName, "main")
        XCTAssertEqual(dynamic.containerPort, 8080)
        XCTAssertEqual(dynamic.transportProtocol, .tcp)
        XCTAssertEqual(status.portBindings.last?.hostPort, staticPort)
        XCTAssertEqual(try fixture.runtime.status(of: status.id).portBindings, status.portBindings, "the bindings are read back")

        let gateway = try XCTUnwrap(fixture.configuration.subnet?.gateway.description)
        for binding in status.portBindings {
            XCTAssertEqual(pollHTTP("127.0.0.1", port: binding.hostPort), "hello from wharf busybox\n", "127.0.0.1:\(binding.hostPort)")
            XCTAssertEqual(pollHTTP(gateway, port: binding.hostPort), "hello from wharf busybox\n", "\(gateway):\(binding.hostPort)")
        }
        XCTAssertEqual(try natChains(), (baseChains + [fixture.configuration.natChainName(forTask: status.id)]).sorted())
        let listed = try Subprocess.shell("nft list table ip \(fixture.configuration.natTableName)")
        XCTAssertTrue(listed.contains("\(dynamic.hostPort) : jump task_\(status.id)"), listed)

        try fixture.runtime.stop(status.id)
        _ = try fixture.runtime.wait(status.id, timeout: 10)
        XCTAssertEqual(try natChains(), baseChains, "the task's chain goes when it stops")
        let after = try Subprocess.shell("nft list table ip \(fixture.configuration.natTableName)")
        XCTAssertFalse(after.contains("jump task_"), "its map entries too: \(after)")
        XCTAssertEqual(fixture.leftovers(), [], "no table or port left taken")
        XCTAssertNil(httpGet("127.0.0.1", port: dynamic.hostPort, timeout: 1), "nothing answers on the port any more")
    }

    /// A UDP mapping: a datagram to the published host port reaches the task's container port,
    /// and the answer comes back from the host port. busybox has no UDP server, so the test
    /// binds the task's port itself, with a socket made inside the task's network namespace.
    func testPublishedUDPPortReachesTheTaskAndTheAnswerComesBack() throws {
        var spec = RuntimeFixture.task(["sleep", "30"]) { $0.initProcessEnabled = true }
        spec.networkMode = .bridge
        spec.containers[0].portMappings = [PortMapping(containerPort: 5353, transportProtocol: .udp)]
        let status = try fixture.launch(spec)
        let binding = try XCTUnwrap(status.portBindings.first, "\(status.portBindings)")
        XCTAssertEqual(binding.transportProtocol, .udp)
        XCTAssertEqual(binding.containerPort, 5353)
        XCTAssertTrue(dynamicRange.contains(UInt16(binding.hostPort)))
        let pid = try XCTUnwrap(status.containers.first?.pid)
        let namespace = open("/proc/\(pid)/ns/net", O_RDONLY | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(namespace, 0)
        defer { close(namespace) }
        let server = try withNetworkNamespace(fd: namespace) { () throws(SystemError) in try UDPTestSocket(port: 5353) }
        let client = try UDPTestSocket(port: 0)
        let gateway = try XCTUnwrap(fixture.configuration.subnet?.gateway)
        for host in [IPv4Address(127, 0, 0, 1), gateway] {
            try client.send(Array("ping via \(host)".utf8), to: host, port: UInt16(binding.hostPort))
            let (request, from) = try XCTUnwrap(server.receive(timeout: 5), "no datagram reached the task via \(host)")
            XCTAssertEqual(String(decoding: request, as: UTF8.self), "ping via \(host)")
            try server.send(Array("pong".utf8), to: from.address, port: from.port)
            let (answer, answeredFrom) = try XCTUnwrap(client.receive(timeout: 5), "no answer came back via \(host)")
            XCTAssertEqual(String(decoding: answer, as: UTF8.self), "pong")
            XCTAssertEqual(answeredFrom.port, UInt16(binding.hostPort), "the answer comes from the published port")
        }
    }

    func testPublishedPortsOutliveARestartOfTheRuntime() throws {
        let server = try fixture.launch(webServer(hostPorts: [nil]))
        let port = try XCTUnwrap(server.portBindings.first?.hostPort)
        XCTAssertNotNil(pollHTTP("127.0.0.1", port: port))
        // A new runtime on the same configuration rewrites the bridge's table as it sets the
        // bridge up (at its first launch): the running task's chain and map entry stay.
        let restarted = try ContainerRuntime(configuration: fixture.configuration)
        let other = try restarted.launch(RuntimeFixture.task(["true"]))
        _ = try restarted.wait(other.id, timeout: 10)
        XCTAssertEqual(try restarted.status(of: server.id).portBindings, server.portBindings)
        XCTAssertEqual(pollHTTP("127.0.0.1", port: port), "hello from wharf busybox\n", "the port still reaches the task")
        try restarted.stop(server.id)
        _ = try restarted.wait(server.id, timeout: 10)
        XCTAssertNil(httpGet("127.0.0.1", port: port, timeout: 1))
        XCTAssertEqual(fixture.leftovers(), [])
    }

    func testAnotherTaskReachesAPublishedPortThroughTheHost() throws {
        let server = try fixture.launch(webServer(hostPorts: [nil]))
        let port = try XCTUnwrap(server.portBindings.first?.hostPort)
        let gateway = try XCTUnwrap(fixture.configuration.subnet?.gateway.description)
        XCTAssertNotNil(pollHTTP("127.0.0.1", port: port))
        let client = try fixture.launch(
            RuntimeFixture.task(["wget", "-q", "-O", "-", "http://\(gateway):\(port)/"]), until: { $0.lastStatus == "STOPPED" })
        let output = try log(of: client.id)
        XCTAssertEqual(client.containers.first?.exitCode, 0, output)
        XCTAssertEqual(output, "hello from wharf busybox\n")
    }

    func testATakenHostPortFailsTheLaunchNamingItAndLeavesNothing() throws {
        let port = try FreePort.pick()
        let first = try fixture.launch(webServer(hostPorts: [port]))
        XCTAssertEqual(first.portBindings.first?.hostPort, port)
        XCTAssertThrowsError(try fixture.runtime.launch(webServer(hostPorts: [port]))) { error in
            guard case .launchFailed(_, let underlying) = error as? RuntimeError else { return XCTFail("\(error)") }
            XCTAssertEqual(underlying.errno, EADDRINUSE)
            XCTAssertTrue(underlying.step.contains("host port tcp \(port)"), underlying.step)
        }
        // A port a host process is bound to is not handed out either.
        let listener = try LoopbackListener(backlog: 1)
        defer { close(listener.fd) }
        XCTAssertThrowsError(try fixture.runtime.launch(webServer(hostPorts: [listener.port])))
        XCTAssertEqual(fixture.runtime.tasks().map(\.id), [first.id], "the failed launches left no task")
        try fixture.runtime.stop(first.id)
        _ = try fixture.runtime.wait(first.id, timeout: 10)
        XCTAssertEqual(fixture.leftovers(), [])
    }

    func testAHostPortMappedTwiceInATaskIsRejectedNamingTheField() {
        XCTAssertThrowsError(try fixture.runtime.launch(webServer(hostPorts: [18080, 18080]))) { error in
            guard case .invalidSpec(let field, _) = error as? RuntimeError else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "containers[0].portMappings[1].hostPort")
        }
    }

    private func log(of id: String) throws -> String {
        try String(contentsOfFile: fixture.runtime.logPath(task: id, container: "main"), encoding: .utf8)
    }
}

/// Outbound NAT: a task reaches a network beyond the host with the host's address. The "other
/// network" is a namespace this test makes, joined to the host by a veth pair on a /30, with
/// no route back to the task subnet: only masquerading lets its answers return.
final class OutboundNATTests: XCTestCase {
    var fixture: RuntimeFixture!
    private var namespace = ""
    private var server: Process?

    override func setUpWithError() throws {
        fixture = try RuntimeFixture()
        namespace = "wto" + String(UInt32.random(in: 0...0xff_ffff), radix: 16)
    }

    override func tearDown() {
        server?.terminate()
        server?.waitUntilExit()
        // The veth pair goes with the namespace.
        _ = try? Subprocess.shell("ip netns del \(namespace)")
        fixture?.tearDown()
        fixture = nil
    }

    func testATaskReachesAnotherNetworkWithTheHostsAddress() throws {
        let octet = Int.random(in: 0...63) * 4
        let hostEnd = "10.241.\(octet).1", outsideEnd = "10.241.\(octet).2"
        let root = fixture.root + "/outside"
        try FileManager.default.createDirectory(atPath: root + "/cgi-bin", withIntermediateDirectories: true)
        // The outside server tells the client which address it came from.
        let script = root + "/cgi-bin/peer"
        try "#!/bin/sh\necho Content-Type: text/plain\necho\necho $REMOTE_ADDR\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        _ = try Subprocess.shell("""
            ip netns add \(namespace) && ip link add \(namespace)a type veth peer name \(namespace)b netns \(namespace) \
            && ip addr add \(hostEnd)/30 dev \(namespace)a && ip link set \(namespace)a up \
            && ip -n \(namespace) addr add \(outsideEnd)/30 dev \(namespace)b && ip -n \(namespace) link set \(namespace)b up
            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ip")
        process.arguments = ["netns", "exec", namespace, "busybox", "httpd", "-f", "-p", outsideEnd + ":8080", "-h", root]
        try process.run()
        server = process

        let client = try fixture.launch(
            RuntimeFixture.task(["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://\(outsideEnd):8080/cgi-bin/peer && exit 0; sleep 0.3; done; exit 1"]),
            timeout: 20, until: { $0.lastStatus == "STOPPED" })
        let output = try String(contentsOfFile: fixture.runtime.logPath(task: client.id, container: "main"), encoding: .utf8)
        XCTAssertEqual(client.containers.first?.exitCode, 0, output)
        XCTAssertEqual(output, hostEnd + "\n", "the task's traffic leaves with the host's address on that network")
    }
}

/// A bound UDP socket for the tests (in the network namespace of the thread that made it).
private final class UDPTestSocket {
    let fd: Int32

    init(port: UInt16) throws(SystemError) {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError.current(step: "UDP socket", call: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let error = SystemError.current(step: "bind UDP port \(port)", call: "bind")
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8], to host: IPv4Address, port: UInt16) throws(SystemError) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = host.value.bigEndian
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                bytes.withUnsafeBytes { Glibc.sendto(fd, $0.baseAddress, $0.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard sent == bytes.count else { throw SystemError.current(step: "send to \(host):\(port)", call: "sendto") }
    }

    /// A datagram and where it came from, or nil after `timeout` seconds.
    func receive(timeout: Double) -> (bytes: [UInt8], from: (address: IPv4Address, port: UInt16))? {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout * 1000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 2048)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, bytes.baseAddress, bytes.count, 0, $0, &length) }
            }
        }
        guard count >= 0 else { return nil }
        return (Array(buffer[0..<count]), (IPv4Address(UInt32(bigEndian: address.sin_addr.s_addr)), UInt16(bigEndian: address.sin_port)))
    }
}
