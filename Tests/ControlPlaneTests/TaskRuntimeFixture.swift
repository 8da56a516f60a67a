import Foundation
import LinuxHost
import Runtime
import Synchronization
import Testing
@testable import ControlPlane

/// The control plane on a real runtime, as `wharf serve` assembles it: a file store, the ECS API,
/// a ``LocalAgent`` on a ``ContainerRuntime`` with its own data and run directories, bridge,
/// subnet, cgroup parent and veth prefix, the host registered as a container instance, and a
/// ``TaskReconciler``. ``restart()`` drops every control-plane object (runtime included) and builds
/// them again on the same directories, as a daemon restart does. ``tearDown()`` stops every task
/// and removes everything the fixture created; ``withTaskFixture(_:)`` calls it also when a test
/// fails.
final class TaskRuntimeFixture: @unchecked Sendable {
    static let region = "us-east-1"
    static let account = "123456789012"
    /// Seconds a test waits for a task state before failing.
    static let stateTimeout = 20.0

    let root: String
    let runtimeConfiguration: RuntimeConfiguration
    let agentConfiguration: LocalAgentConfiguration
    let storePath: String
    private(set) var runtime: ContainerRuntime
    private(set) var agent: LocalAgent
    private(set) var store: ECSStore
    private(set) var reconciler: TaskReconciler
    private(set) var api: ECSAPI
    private(set) var host: RegisteredHost

    /// Subnet octets handed out in this process, so fixtures never share a subnet.
    private static let nextSubnetOctet = Mutex(Int.random(in: 0...200))
    /// The busybox OCI layout, built once per test process.
    private static let busyboxLayout = Mutex<String?>(nil)

    /// A request context at the current time.
    var context: ECSRequestContext {
        ECSRequestContext(region: Self.region, accountID: Self.account, now: Date(),
                          callerARN: "arn:aws:iam::\(Self.account):user/tester")
    }

    private init(root: String, runtimeConfiguration: RuntimeConfiguration, agentConfiguration: LocalAgentConfiguration,
                 storePath: String, parts: Parts) {
        self.root = root
        self.runtimeConfiguration = runtimeConfiguration
        self.agentConfiguration = agentConfiguration
        self.storePath = storePath
        (runtime, agent, store, reconciler, api, host) = (parts.runtime, parts.agent, parts.store, parts.reconciler, parts.api, parts.host)
    }

    private struct Parts {
        var runtime: ContainerRuntime
        var agent: LocalAgent
        var store: ECSStore
        var reconciler: TaskReconciler
        var api: ECSAPI
        var host: RegisteredHost
    }

    static func make(file: StaticString = #filePath) async throws -> TaskRuntimeFixture {
        let token = String(UInt32.random(in: 0...0xfff_ffff), radix: 16)
        let root = NSTemporaryDirectory() + "wharf-tasks-" + token
        let octet = nextSubnetOctet.withLock { octet in
            defer { octet = (octet + 1) % 256 }
            return octet
        }
        let runtimeConfiguration = RuntimeConfiguration(
            dataDirectory: root + "/data", runDirectory: "/run/wharf-tasks-" + token,
            bridgeName: "wtk" + token.prefix(7), subnet: IPv4Network("10.238.\(octet).0/24"),
            cgroupParent: "wharf-tasks-" + token, vethPrefix: "wk" + String(token.suffix(2)))
        let agentConfiguration = LocalAgentConfiguration(
            stateDirectory: LocalAgentConfiguration.defaultStateDirectory(dataDirectory: runtimeConfiguration.dataDirectory),
            region: region, instanceID: "i-" + String(format: "%017x", UInt64.random(in: 0...UInt64(1) << 60)))
        let storePath = ECSStore.defaultPath(dataDirectory: runtimeConfiguration.dataDirectory)
        let layout = try busybox(file: file)
        let parts = try await assemble(runtimeConfiguration, agentConfiguration, storePath: storePath, busybox: layout)
        return TaskRuntimeFixture(root: root, runtimeConfiguration: runtimeConfiguration,
                                  agentConfiguration: agentConfiguration, storePath: storePath, parts: parts)
    }

    /// Builds the control plane on the given directories, registers the host and recovers.
    private static func assemble(_ runtimeConfiguration: RuntimeConfiguration, _ agentConfiguration: LocalAgentConfiguration,
                                 storePath: String, busybox: String?) async throws -> Parts {
        let runtime = try ContainerRuntime(configuration: runtimeConfiguration)
        if let busybox { try runtime.images.importOCILayout(directory: busybox) }
        let agent = try LocalAgent(runtime: runtime, configuration: agentConfiguration)
        let store = try ECSStore(path: storePath)
        let reconciler = TaskReconciler(store: store)
        let api = ECSAPI(store: store, taskObserver: reconciler)
        let context = ECSRequestContext(region: region, accountID: account, now: Date())
        let host = try await reconciler.startLocalHost(agent, api: api, context: context)
        return Parts(runtime: runtime, agent: agent, store: store, reconciler: reconciler, api: api, host: host)
    }

    /// Drops the reconciler, agent and runtime (tasks keep running) and builds them again on
    /// the same directories and database: a restart of the daemon. `whileDown` runs in between.
    func restart(whileDown: () throws -> Void = {}) async throws {
        await reconciler.shutdown()
        agent.shutdown()
        try whileDown()
        let parts = try await Self.assemble(runtimeConfiguration, agentConfiguration, storePath: storePath, busybox: nil)
        (runtime, agent, store, reconciler, api, host) = (parts.runtime, parts.agent, parts.store, parts.reconciler, parts.api, parts.host)
    }

    /// Stops every task, waits for them, removes the bridge, cgroup parent and directories.
    func tearDown() async {
        await reconciler.shutdown()
        agent.shutdown()
        runtime.removeEverything()
        try? FileManager.default.removeItem(atPath: root)
    }

    // MARK: - Calling the API

    /// Runs `operation` and returns the decoded response object.
    func call(_ operation: String, _ body: String = "{}") throws -> [String: Any] {
        let data = try api.handle(operation: operation, body: Data(body.utf8), context: context)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Runs `operation` expecting an error; nil if it succeeded.
    func error(_ operation: String, _ body: String = "{}") -> ECSError? {
        do {
            _ = try api.handle(operation: operation, body: Data(body.utf8), context: context)
            return nil
        } catch {
            return error
        }
    }

    /// The task `arn` as DescribeTasks reports it.
    func describe(_ arn: String) throws -> [String: Any] {
        let response = try call("DescribeTasks", #"{"tasks": ["\#(arn)"], "include": ["TAGS"]}"#)
        return try #require(objects(response["tasks"]).first)
    }

    /// Waits until the task's `lastStatus` is `status` (checking every few milliseconds);
    /// returns the task as DescribeTasks reports it then.
    @discardableResult
    func waitFor(_ arn: String, _ status: String, timeout: Double = stateTimeout,
                 pollMilliseconds: Int = 10) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let task = try describe(arn)
            if task["lastStatus"] as? String == status { return task }
            guard Date() < deadline else {
                Issue.record("task \(arn) did not reach \(status) within \(timeout) s; it is \(task["lastStatus"] ?? "-")")
                return task
            }
            try await Task.sleep(for: .milliseconds(pollMilliseconds))
        }
    }

    /// A task definition's ARN after registering `body`.
    func register(_ body: String) throws -> String {
        let response = try call("RegisterTaskDefinition", body)
        return try #require(object(response["taskDefinition"])["taskDefinitionArn"] as? String)
    }

    /// The host instance's remaining integer resource `name` (CPU, MEMORY).
    func remaining(_ name: String) throws -> Int {
        let response = try call("DescribeContainerInstances", #"{"containerInstances": ["\#(host.containerInstanceArn)"]}"#)
        let instance = try #require(objects(response["containerInstances"]).first)
        return try #require(objects(instance["remainingResources"]).first { $0["name"] as? String == name }?["integerValue"] as? Int)
    }

    /// The host instance's registered integer resource `name`.
    func registered(_ name: String) throws -> Int {
        let response = try call("DescribeContainerInstances", #"{"containerInstances": ["\#(host.containerInstanceArn)"]}"#)
        let instance = try #require(objects(response["containerInstances"]).first)
        return try #require(objects(instance["registeredResources"]).first { $0["name"] as? String == name }?["integerValue"] as? Int)
    }

    // MARK: - Images

    /// Builds the busybox OCI layout with the project's script (once per process).
    static func busybox(file: StaticString) throws -> String {
        try busyboxLayout.withLock { layout in
            if let layout { return layout }
            let repository = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let output = NSTemporaryDirectory() + "wharf-busybox-\(getpid())"
            if !FileManager.default.fileExists(atPath: output + "/index.json") {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/bash")
                process.arguments = [repository.path + "/scripts/build-busybox-image.sh", output]
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                process.waitUntilExit()
                try #require(process.terminationStatus == 0, "scripts/build-busybox-image.sh failed")
            }
            layout = output
            return output
        }
    }
}

/// Runs `body` with a fresh fixture and tears the fixture down afterwards, also when `body` throws.
func withTaskFixture(_ body: (TaskRuntimeFixture) async throws -> Void) async throws {
    let fixture = try await TaskRuntimeFixture.make()
    do {
        try await body(fixture)
    } catch {
        await fixture.tearDown()
        throw error
    }
    await fixture.tearDown()
}

/// The value of `operation`, or nil if `seconds` pass first.
func firstOf<T: Sendable>(seconds: Double, _ operation: @escaping @Sendable () async -> T?) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { await operation() }
        group.addTask {
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}

/// A RunTask body for `taskDefinition` on the awsvpc network.
func runTaskBody(_ taskDefinition: String, count: Int = 1, extra: String = "") -> String {
    """
    {"taskDefinition": "\(taskDefinition)", "count": \(count),
     "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-0a1b2c3d"], "securityGroups": ["sg-0123"]}}\(extra)}
    """
}

/// A busybox task definition with one container running `command` (awsvpc, 64 MiB).
func busyboxDefinition(family: String, command: [String], extraContainer: String = "", initProcess: Bool = false,
                       memory: Int = 64, extra: String = "") -> String {
    let arguments = command.map { "\"\($0)\"" }.joined(separator: ", ")
    let linux = initProcess ? #", "linuxParameters": {"initProcessEnabled": true}"# : ""
    return """
    {"family": "\(family)", "networkMode": "awsvpc",
     "containerDefinitions": [{"name": "main", "image": "busybox", "memory": \(memory), "command": [\(arguments)],
       "portMappings": [{"containerPort": 8080}]\(linux)}\(extraContainer)]\(extra)}
    """
}

/// Fetches `http://host:port/` (one attempt per 50 ms for up to `seconds`); the body or nil.
func fetchHTTP(_ host: String, port: Int = 8080, seconds: Double = 5) -> String? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let body = httpGetOnce(host, port: port) { return body }
        usleep(50_000)
    }
    return nil
}

/// One HTTP/1.0 GET over a plain socket (loopback-routed task addresses only), with timeouts.
private func httpGetOnce(_ host: String, port: Int) -> String? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 1, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return nil }
    let request = Array("GET / HTTP/1.0\r\nHost: \(host)\r\n\r\n".utf8)
    guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { return nil }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count <= 0 { break }
        response += buffer[0..<count]
    }
    let text = String(decoding: response, as: UTF8.self)
    guard text.hasPrefix("HTTP/1.") && text.contains(" 200 "), let split = text.range(of: "\r\n\r\n") else { return nil }
    return String(text[split.upperBound...])
}
