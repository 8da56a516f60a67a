import Foundation
import GRDB
import Testing
@testable import ControlPlane

/// What DescribeTasks and ListTasks do to stay cheap (one query per call, documents decoded
/// once per stored text, pages read from an index) must not change what they answer.
@Suite("Task query costs")
struct TaskQueryCostTests {
    @Test("DescribeTasks answers ten tasks fetched at once in the order asked, and an unknown one MISSING in place")
    func describeManyInRequestOrder() throws {
        let (h, _) = try TaskAPITests.harness()
        let created = try h.call("RunTask", #"{"taskDefinition": "plain", "count": 10}"#)
        let arns = objects(created["tasks"]).compactMap { $0["taskArn"] as? String }
        #expect(arns.count == 10)
        let asked = Array(arns.reversed())
        let unknown = h.arn(.task(cluster: "default", id: ECSResourceID.random()))
        let body = #"{"tasks": ["# + (asked + [unknown]).map { "\"\($0)\"" }.joined(separator: ",") + "]}"
        let response = try h.call("DescribeTasks", body)
        #expect(objects(response["tasks"]).compactMap { $0["taskArn"] as? String } == asked)
        #expect(objects(response["failures"]).compactMap { $0["arn"] as? String } == [unknown])
    }

    @Test("a cached task document is used only for the exact text it was decoded from")
    func documentCacheFollowsTheText() {
        let cache = TaskDocumentCache()
        var document = TaskDocument()
        document.family = "web"
        document.revision = 1
        let first = cache.document(taskID: "a", text: document.encoded())
        #expect(first.revision == 1)
        #expect(cache.count == 1)
        document.revision = 2
        let changed = cache.document(taskID: "a", text: document.encoded())
        #expect(changed.revision == 2)
        #expect(cache.document(taskID: "a", text: document.encoded()) == changed)
        #expect(cache.document(taskID: "b", text: "{}") == TaskDocument())
        #expect(cache.count == 2)
    }

    @Test("the task document cache stays within its capacity")
    func documentCacheIsBounded() {
        let cache = TaskDocumentCache()
        for index in 0..<(TaskDocumentCache.capacity + 10) {
            _ = cache.document(taskID: "task-\(index)", text: "{}")
        }
        #expect(cache.count <= TaskDocumentCache.capacity)
        #expect(cache.count > 0)
    }

    @Test("ListTasks reads its page through the cluster, desired status and ID index")
    func listTasksUsesItsIndex() throws {
        let (h, _) = try TaskAPITests.harness()
        _ = try h.call("RunTask", #"{"taskDefinition": "plain", "count": 3}"#)
        // The plan's detail column names the index; no temporary B-tree for ORDER BY.
        let details = try h.store.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT id, arn FROM task WHERE clusterName = ? AND desiredStatus = ? ORDER BY id LIMIT 101
                """, arguments: ["default", "RUNNING"]).map { $0["detail"] as String? ?? "" }
        }
        #expect(details.contains { $0.contains("task_cluster_desired_id") })
        #expect(!details.contains { $0.contains("TEMP B-TREE") })
        #expect(array(try h.call("ListTasks")["taskArns"]).count == 3)
    }

    @Test("container instance usage: SQLite expands the port lists of the tasks holding resources")
    func instanceUsagePortsFromSQLite() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        func registered(_ ec2: String) throws -> String {
            let arn = try #require(try h.registerInstance(ec2: ec2)["containerInstanceArn"] as? String)
            return String(arn.split(separator: "/").last ?? "")
        }
        let idA = try registered("i-0123456789abcdef0"), idB = try registered("i-0123456789abcdef1")
        let idC = try registered("i-0123456789abcdef2")
        _ = try h.insertTask(instanceID: idA, last: .running, cpu: 256, memory: 512, ports: [8080, 8081], udpPorts: [53])
        _ = try h.insertTask(instanceID: idA, last: .pending, cpu: 128, memory: 128, ports: [8080, 9090])
        _ = try h.insertTask(instanceID: idA, last: .stopped, desired: .stopped, cpu: 1024, memory: 1024, ports: [7070], udpPorts: [70])
        let spaced = try h.insertTask(instanceID: idB, last: .running, cpu: 64, memory: 64)
        _ = try h.insertTask(instanceID: idB, last: .running, udpPorts: [123])
        // An empty list spelled otherwise than `[]` still reserves nothing.
        try h.store.write { db in
            try db.execute(sql: "UPDATE task SET reservedPorts = '[ ]', reservedUDPPorts = ' [] ' WHERE id = ?", arguments: [spaced.id])
        }
        let usage = try h.store.read { db in try ContainerInstanceUsage.fetch(db, instanceIDs: [idA, idB, idC]) }
        let a = try #require(usage[idA])
        #expect(a.tcpPorts == [8080, 8081, 9090])
        #expect(a.udpPorts == [53])
        #expect(a.reservedCPU == 384)
        #expect(a.reservedMemory == 640)
        #expect(a.activeTasks == 2)
        #expect(a.runningTasks == 2)
        #expect(a.pendingTasks == 1)
        let b = try #require(usage[idB])
        #expect(b.tcpPorts.isEmpty)
        #expect(b.udpPorts == [123])
        #expect(b.reservedCPU == 64)
        #expect(usage[idC] == ContainerInstanceUsage())
    }

    @Test("placement's reads of the tasks on instances use the covering index alone, not the task rows")
    func placementReadsTheCoveringIndex() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let arn = try #require(try h.registerInstance(ec2: "i-0123456789abcdef0")["containerInstanceArn"] as? String)
        let id = String(arn.split(separator: "/").last ?? "")
        for _ in 0..<3 { _ = try h.insertTask(instanceID: id, last: .running, cpu: 64, memory: 64, ports: [8080]) }
        let statements = try h.store.write { db -> [String] in
            var seen: [String] = []
            db.trace { event in
                if case .statement(let statement) = event { seen.append(statement.expandedSQL) }
            }
            _ = try ContainerInstanceUsage.fetch(db, instanceIDs: [id])
            _ = try TaskPlacementCandidates.candidates(db, try TaskPlacementCandidates.ofCluster(db, cluster: "default"))
            db.trace(options: [], nil)
            return seen
        }
        let onTasks = statements.filter { $0.contains("FROM task") }
        // The usage queries (totals, TCP and UDP ports) twice, directly and through the candidates,
        // and the task counts per group.
        #expect(onTasks.count == 7, "\(statements)")
        for sql in onTasks {
            let plan = try h.store.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String } }
            let onTask = plan.filter { $0.contains("task") && !$0.contains("json_each") }
            #expect(!onTask.isEmpty && onTask.allSatisfy { $0.contains("COVERING INDEX \(StoreSchema.taskPlacementIndex)") },
                    "\(sql): \(plan)")
        }
    }

    @Test("a task record's decoded document is its stored document")
    func decodedDocumentOfARecord() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        var record = try h.insertTask()
        var document = TaskDocument()
        document.family = "web"
        document.revision = 3
        record.document = document.encoded()
        #expect(record.decodedDocument == document)
        document.revision = 4
        record.document = document.encoded()
        #expect(record.decodedDocument.revision == 4)
    }
}
