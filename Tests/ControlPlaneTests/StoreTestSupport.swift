import Foundation
import Testing
@testable import ControlPlane

/// Drives ``ECSAPI`` the way the protocol layer will: operation name + JSON text in, JSON out.
struct ECSHarness {
    static let account = "123456789012"
    static let region = "us-east-1"
    static let caller = "arn:aws:iam::123456789012:user/tester"
    /// A fixed clock: 2023-11-14T22:13:20.123Z.
    static let epoch = Date(timeIntervalSince1970: 1_700_000_000.123)

    let store: ECSStore
    let api: ECSAPI
    var context = ECSRequestContext(region: ECSHarness.region, accountID: ECSHarness.account, now: ECSHarness.epoch,
                                    callerARN: ECSHarness.caller)

    init(store: ECSStore? = nil) throws {
        let store = try store ?? ECSStore.inMemory()
        self.store = store
        self.api = ECSAPI(store: store)
    }

    /// Runs `operation` and returns the raw response body.
    func raw(_ operation: String, _ body: String = "{}") throws(ECSError) -> Data {
        try api.handle(operation: operation, body: Data(body.utf8), context: context)
    }

    /// Runs `operation` and returns the decoded response object.
    func call(_ operation: String, _ body: String = "{}") throws -> [String: Any] {
        let data = try raw(operation, body)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Runs `operation` expecting it to fail; returns the error (nil if it succeeded).
    func error(_ operation: String, _ body: String = "{}") -> ECSError? {
        do {
            _ = try raw(operation, body)
            return nil
        } catch {
            return error
        }
    }

    func arn(_ resource: ECSARN.Resource) -> String { context.arn(resource).description }

    /// Registers a container instance with 2048 CPU, 4096 MiB and the agent's usual reserved ports.
    @discardableResult
    func registerInstance(cluster: String = "default", ec2: String = "i-0123456789abcdef0",
                          extra: String = "") throws -> [String: Any] {
        let body = """
        {"cluster": "\(cluster)",
         "instanceIdentityDocument": "{\\"instanceId\\": \\"\(ec2)\\", \\"region\\": \\"us-east-1\\"}",
         "totalResources": [
           {"name": "CPU", "type": "INTEGER", "integerValue": 2048},
           {"name": "MEMORY", "type": "INTEGER", "integerValue": 4096},
           {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22", "2375", "2376", "51678", "51679"]},
           {"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": []}
         ],
         "versionInfo": {"agentVersion": "1.80.0", "agentHash": "abcdef12", "dockerVersion": "DockerVersion: 24.0.7"},
         "attributes": [{"name": "ecs.os-type", "value": "linux"}, {"name": "ecs.capability.task-eni"}]
         \(extra)}
        """
        return object(try call("RegisterContainerInstance", body)["containerInstance"])
    }

    /// Inserts a task row directly (RunTask is not part of this module yet).
    func insertTask(cluster: String = "default", instanceID: String? = nil, last: ECSTaskStatus = .running,
                    desired: ECSTaskStatus = .running, taskDefinitionArn: String? = nil, launchType: ECSLaunchType = .ec2,
                    cpu: Int = 0, memory: Int = 0, ports: [Int] = [], udpPorts: [Int] = []) throws -> TaskRecord {
        let id = ECSResourceID.random()
        let task = TaskRecord(
            id: id, arn: arn(.task(cluster: cluster, id: id)), clusterName: cluster,
            taskDefinitionArn: taskDefinitionArn ?? arn(.taskDefinition(family: "app", revision: 1)),
            containerInstanceId: instanceID, launchType: launchType, desiredStatus: desired, lastStatus: last,
            reservedCPU: cpu, reservedMemory: memory, reservedPorts: ports, reservedUDPPorts: udpPorts,
            createdAt: context.timestamp)
        try store.write { db in try task.insert(db) }
        return task
    }

    /// Inserts a service row directly (CreateService is not part of this module yet).
    func insertService(cluster: String = "default", name: String, status: ECSServiceStatus = .active,
                       launchType: ECSLaunchType = .ec2, taskDefinitionArn: String? = nil) throws -> ServiceRecord {
        let service = ServiceRecord(
            arn: arn(.service(cluster: cluster, name: name)), clusterName: cluster, name: name, status: status,
            desiredCount: 1, launchType: launchType,
            taskDefinitionArn: taskDefinitionArn ?? arn(.taskDefinition(family: "app", revision: 1)),
            createdAt: context.timestamp, updatedAt: context.timestamp)
        try store.write { db in try service.insert(db) }
        return service
    }
}

/// A minimal task definition body for RegisterTaskDefinition.
func taskDefinitionBody(family: String, extra: String = "") -> String {
    """
    {"family": "\(family)", "containerDefinitions": [{"name": "main", "image": "busybox", "memory": 128}]\(extra)}
    """
}

func object(_ value: Any?) -> [String: Any] { value as? [String: Any] ?? [:] }
func array(_ value: Any?) -> [Any] { value as? [Any] ?? [] }
func objects(_ value: Any?) -> [[String: Any]] { array(value).map(object) }
func strings(_ value: Any?) -> [String] { array(value).compactMap { $0 as? String } }

