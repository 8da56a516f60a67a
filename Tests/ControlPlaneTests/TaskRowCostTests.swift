import Foundation
import GRDB
import Testing
@testable import ControlPlane

/// The cheaper ways the task paths read and write rows (column-by-column task rows, cached
/// statements, name-only cluster checks, documents remembered on write, cluster ARNs from the
/// task ARN) must store and answer exactly what the general ones did.
@Suite("Task row costs")
struct TaskRowCostTests {
    @Test("a task row is written and read back column by column, its port lists as JSON arrays")
    func taskRowRoundTrip() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let instance = try #require(try h.registerInstance()["containerInstanceArn"] as? String)
        let instanceID = String(instance.split(separator: "/").last ?? "")
        var task = try h.insertTask(instanceID: instanceID, last: .pending, cpu: 256, memory: 512, ports: [8080, 8081], udpPorts: [53])
        task.startedBy = "tester"
        task.group = "family:app"
        task.serviceArn = h.arn(.service(cluster: "default", name: "web"))
        task.stoppingAt = 1_700_000_001.5
        task.stopCode = "UserInitiated"
        task.stoppedReason = "a reason"
        task.version = 3
        task.document = #"{"family":"app"}"#
        let saved = task
        try h.store.write { db in try saved.update(db) }
        let (read, ports, udpPorts, summed) = try h.store.read { db in
            (try TaskRecord.fetch(db, id: saved.id),
             try String.fetchOne(db, sql: "SELECT reservedPorts FROM task WHERE id = ?", arguments: [saved.id]),
             try String.fetchOne(db, sql: "SELECT reservedUDPPorts FROM task WHERE id = ?", arguments: [saved.id]),
             try Int.fetchOne(db, sql: "SELECT sum(value) FROM task, json_each(task.reservedPorts) WHERE task.id = ?", arguments: [saved.id]))
        }
        #expect(read == saved)
        #expect(ports == "[8080,8081]")
        #expect(udpPorts == "[53]")
        #expect(summed == 16161)
        // The general (query interface) path reads the same record.
        #expect(try h.store.read { db in try TaskRecord.fetchOne(db, key: saved.id) } == saved)
        #expect(try h.store.read { db in try TaskRecord.fetch(db, id: "unknown") } == nil)
    }

    @Test("port lists read as JSON allows them; anything else is an error")
    func portListText() throws {
        #expect(try TaskRecord.ports("[]") == [])
        #expect(try TaskRecord.ports(" [ ] ") == [])
        #expect(try TaskRecord.ports("[80,443]") == [80, 443])
        #expect(try TaskRecord.ports("[ 80 , 443 ]\n") == [80, 443])
        #expect(TaskRecord.portsText([]) == "[]")
        #expect(TaskRecord.portsText([80, 443]) == "[80,443]")
        for bad in ["", "80", "[80,]", "[a]", "{}", "[80"] {
            #expect(throws: TaskRowError.self) { try TaskRecord.ports(bad) }
        }
    }

    @Test("tasks fetched by a list of IDs: the ones that exist, whatever the list's length")
    func fetchByIDs() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let tasks = try (0..<3).map { _ in try h.insertTask() }
        let ids = tasks.map(\.id)
        func fetched(_ wanted: [String]) throws -> [String] {
            try h.store.read { db in try TaskRecord.fetchAll(db, ids: wanted).map(\.id) }
        }
        #expect(try fetched([]).isEmpty)
        #expect(Set(try fetched(ids)) == Set(ids))
        #expect(try fetched([ids[1], "missing"]) == [ids[1]])
        // Same statement again (cached), other arguments.
        #expect(try fetched([ids[2], "other"]) == [ids[2]])
    }

    @Test("cluster checks by name answer as the whole-row checks do")
    func clusterNames() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        _ = try h.call("CreateCluster", #"{"clusterName": "old"}"#)
        _ = try h.call("DeleteCluster", #"{"cluster": "old"}"#)
        let context = h.context
        func existing(_ text: String?) throws -> String {
            try h.store.read { db in try ClusterReference.existingName(db, text, context) }
        }
        func active(_ text: String?) throws -> String {
            try h.store.read { db in try ClusterReference.activeName(db, text, context) }
        }
        #expect(try existing(nil) == "default")
        #expect(try existing(h.arn(.cluster(name: "default"))) == "default")
        #expect(try existing("old") == "old")
        #expect(try active("default") == "default")
        #expect(throws: ECSError.clusterInactive) { try active("old") }
        #expect(throws: ECSError.clusterNotFound) { try existing("none") }
        #expect(throws: ECSError.clusterNotFound) { try active("none") }
        #expect(throws: ECSError.clusterNotFound) { try existing("arn:aws:ecs:eu-west-1:123456789012:cluster/default") }
        #expect(try h.store.read { db in try ClusterRecord.find(db, name: "old")?.status } == .inactive)
    }

    @Test("a task's cluster ARN comes from its task ARN as parsing and printing it did")
    func clusterArnOfTask() {
        let arns = [
            "arn:aws:ecs:us-east-1:123456789012:task/default/0123456789abcdef0123456789abcdef",
            "arn:aws-cn:ecs:cn-north-1:123456789012:task/0123456789abcdef0123456789abcdef",
            "arn:aws:ecs:us-east-1:123456789012:task/a/b/c",
            "arn:aws:ecs:us-east-1:123456789012:task/default/",
            "arn:aws:ecs:us-east-1:123456789012:task/de:fault/abc",
            "arn:aws:ecs:us-east-1:123456789012:cluster/default",
            "arn:aws:s3:us-east-1:123456789012:task/default/abc",
            "arn:aws:ecs::123456789012:task/default/abc",
            "arn:aws:ecs:us-east-1:123456789012",
            "not an arn",
        ]
        for taskArn in arns {
            let parsed = ECSARN(parsing: taskArn).flatMap { arn -> String? in
                guard case .task = arn.resource else { return nil }
                return ECSARN(partition: arn.partition, region: arn.region, accountID: arn.accountID,
                              resource: .cluster(name: "prod")).description
            }
            #expect(TaskRendering.clusterArn(ofTask: taskArn, clusterName: "prod") == parsed, "\(taskArn)")
        }
        #expect(TaskRendering.clusterArn(ofTask: arns[0], clusterName: "prod") == "arn:aws:ecs:us-east-1:123456789012:cluster/prod")
    }

    @Test("a document stored by its writer is remembered, and reads back equal when decoded afresh")
    func rememberedDocument() throws {
        var document = TaskDocument()
        document.family = "web"
        document.revision = 4
        document.cpu = "256"
        document.containers = [TaskContainerState(
            containerArn: "arn:aws:ecs:us-east-1:123456789012:container/default/t/c", name: "main", image: "busybox",
            essential: true, cpu: 0, memory: 128, memoryReservation: nil,
            portMappings: [TaskPortMapping(containerPort: 80, hostPort: 8080, transport: "tcp")],
            lastStatus: "RUNNING", exitCode: nil, reason: nil, healthStatus: "UNKNOWN")]
        document.attachment = TaskENIAttachment(id: "eni-attach", status: "ATTACHED", subnetId: "subnet-1",
                                                networkInterfaceId: "eni-1", privateDnsName: nil, privateIPv4Address: "10.0.0.2")
        document.loadBalancerPhase = .registered
        document.pullStartedAt = 1_700_000_000.123
        document.stopRequestedAt = 1_700_000_001.007
        let id = ECSResourceID.random()
        let text = document.encodedForTask(id)
        #expect(text == document.encoded())
        // Decoded afresh, the stored text is the same document the writer remembered.
        #expect(TaskDocument.decode(text) == document)
        #expect(TaskDocumentCache.shared.document(taskID: id, text: text) == document)
        // Another text for the task is decoded, not taken from the remembered entry.
        #expect(TaskDocumentCache.shared.document(taskID: id, text: "{}") == TaskDocument())
    }
}
