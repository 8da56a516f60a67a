import Foundation
import GRDB
import LinuxHost
import Runtime
import Synchronization
import Testing
import WharfTestSupport
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
            dataDirectory: root + "/data",
            bridgeName: "wtk" + token.prefix(7), subnet: IPv4Network("10.238.\(octet).0/24"),
            cgroupParent: "wharf-tasks-" + token, vethPrefix: "wk" + String(token.suffix(2)))
        let agentConfiguration = LocalAgentConfiguration(
            stateDirectory: LocalAgentConfiguration.defaultStateDirectory(dataDirectory: runtimeConfiguration.dataDirectory),
            region: region, instanceID: "i-" + String(format: "%017x", UInt64.random(in: 0...UInt64(1) << 60)))
        let storePath = ECSStore.defaultPath(dataDirectory: runtimeConfiguration.dataDirectory)
        let layout = try BusyboxImage.layout()
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

    /// Runs `body` through an API without a reconciler and returns the created task: its row
    /// stays PROVISIONING and no agent hears of it, as after a crash right after RunTask.
    func runTaskUnstarted(_ body: String) throws -> [String: Any] {
        let quiet = ECSAPI(store: store)
        let data = try quiet.handle(operation: "RunTask", body: Data(body.utf8), context: context)
        return try #require(objects(object(try JSONSerialization.jsonObject(with: data))["tasks"]).first)
    }

    /// The revision `task` (as DescribeTasks or RunTask render it) runs, as agents receive it.
    func definition(of task: [String: Any]) async throws -> TaskDefinition {
        let arn = try #require(task["taskDefinitionArn"] as? String)
        let found: TaskDefinitionRecord? = try await store.read { (db: Database) throws -> TaskDefinitionRecord? in
            try TaskDefinitionRecord.fetchOne(db, key: arn)
        }
        return try #require(found).rendered
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

/// Fetches `http://host:port/` (one attempt per 50 ms for up to `seconds`); the body of a 200
/// answer, or nil.
func fetchHTTP(_ host: String, port: Int = 8080, seconds: Double = 5) -> String? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let response = HTTPGet.get(host: host, port: port, timeout: 1), response.status == 200 { return response.body }
        usleep(50_000)
    }
    return nil
}
