import Foundation
import GRDB
import Testing
import WharfTestSupport
@testable import ControlPlane

@Suite("ECS store")
struct StoreTests {
    @Test("a file store is migrated, in WAL mode, and keeps everything across reopening")
    func reopenKeepsEverything() throws {
        let dir = try TemporaryDirectory(prefix: "wharf-store-test")
        defer { dir.remove() }
        let path = ECSStore.defaultPath(dataDirectory: dir.path + "/data")
        var instanceArn = ""
        do {
            let h = try ECSHarness(store: ECSStore(path: path))
            #expect(try h.store.appliedMigrations() == StoreSchema.migrationIdentifiers)
            #expect(try h.store.journalMode() == "wal")
            _ = try h.call("CreateCluster", #"{"clusterName": "default", "tags": [{"key": "team", "value": "edge"}]}"#)
            _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "web"))
            _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "web"))
            _ = try h.call("DeregisterTaskDefinition", #"{"taskDefinition": "web:1"}"#)
            instanceArn = try #require(h.registerInstance()["containerInstanceArn"] as? String)
            _ = try h.call("PutAttributes", """
                {"attributes": [{"name": "stack", "value": "prod", "targetId": "\(instanceArn)"}]}
                """)
            _ = try h.insertTask(last: .running, cpu: 256, memory: 512, ports: [8080])
        }
        #expect(FileManager.default.fileExists(atPath: path))

        let h = try ECSHarness(store: ECSStore(path: path))
        #expect(try h.store.appliedMigrations() == StoreSchema.migrationIdentifiers)
        let cluster = object(try h.call("DescribeClusters", #"{"include": ["TAGS"]}"#)["clusters"].map(array)?.first)
        #expect(cluster["status"] as? String == "ACTIVE")
        #expect(cluster["runningTasksCount"] as? Int == 1)
        #expect(cluster["registeredContainerInstancesCount"] as? Int == 1)
        #expect(objects(cluster["tags"]).first?["value"] as? String == "edge")
        let td1 = object(try h.call("DescribeTaskDefinition", #"{"taskDefinition": "web:1"}"#)["taskDefinition"])
        #expect(td1["status"] as? String == "INACTIVE")
        let latest = object(try h.call("DescribeTaskDefinition", #"{"taskDefinition": "web"}"#)["taskDefinition"])
        #expect(latest["revision"] as? Int == 2)
        let next = object(try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "web"))["taskDefinition"])
        #expect(next["revision"] as? Int == 3)
        let listed = try h.call("ListAttributes", #"{"targetType": "container-instance", "attributeName": "stack"}"#)
        #expect(objects(listed["attributes"]).first?["targetId"] as? String == instanceArn)
    }

    @Test("a database migrated by a newer version is refused rather than written to")
    func newerSchemaRefused() throws {
        let dir = try TemporaryDirectory(prefix: "wharf-store-test")
        defer { dir.remove() }
        let path = dir.path + "/ecs.sqlite"
        do {
            let store = try ECSStore(path: path)
            try store.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999-future')") }
        }
        do {
            _ = try ECSStore(path: path)
            Issue.record("a superseded database was opened")
        } catch {
            guard case .migrate = error else { Issue.record("wrong step: \(error)"); return }
        }
    }

    @Test("a write that throws rolls back and its error comes out unchanged")
    func rollback() throws {
        struct Refused: Error {}
        let store = try ECSStore.inMemory()
        #expect(throws: Refused.self) {
            try store.write { db in
                try ClusterRecord(name: "a", arn: "arn:aws:ecs:us-east-1:1:cluster/a", createdAt: 1, updatedAt: 1).insert(db)
                throw Refused()
            }
        }
        #expect(try store.read { db in try ClusterRecord.fetchCount(db) } == 0)
    }

    @Test("SQLite failures come out as StoreError naming the step")
    func storeErrors() throws {
        let store = try ECSStore.inMemory()
        let cluster = ClusterRecord(name: "a", arn: "arn:aws:ecs:us-east-1:1:cluster/a", createdAt: 1, updatedAt: 1)
        try store.write { db in try cluster.insert(db) }
        do {
            try store.write { db in try cluster.insert(db) }
            Issue.record("a duplicate primary key was accepted")
        } catch let error as StoreError {
            guard case .write(let reason) = error else { Issue.record("wrong step: \(error)"); return }
            #expect(reason.contains("UNIQUE"))
        }
        // A path under a regular file cannot be created.
        let dir = try TemporaryDirectory(prefix: "wharf-store-test")
        defer { dir.remove() }
        let file = dir.path + "/file"
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        #expect(throws: StoreError.self) { _ = try ECSStore(path: file + "/sub/ecs.sqlite") }
    }

    @Test("async reads and writes")
    func asyncAccess() async throws {
        let store = try ECSStore.inMemory()
        try await store.write { db in
            try ClusterRecord(name: "a", arn: "arn:aws:ecs:us-east-1:1:cluster/a", createdAt: 1, updatedAt: 1).insert(db)
        }
        let names = try await store.read { db in try ClusterRecord.fetchAll(db).map(\.name) }
        #expect(names == ["a"])
    }

    @Test("concurrent registrations of one family get distinct consecutive revisions")
    func concurrentRevisions() async throws {
        let dir = try TemporaryDirectory(prefix: "wharf-store-test")
        defer { dir.remove() }
        let h = try ECSHarness(store: ECSStore(path: dir.path + "/ecs.sqlite"))
        let api = h.api, context = h.context
        let revisions = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    let data = try api.handle(operation: "RegisterTaskDefinition",
                                              body: Data(taskDefinitionBody(family: "burst").utf8), context: context)
                    let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                    return object(json?["taskDefinition"])["revision"] as? Int ?? -1
                }
            }
            var all: [Int] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(revisions.sorted() == Array(1...20))
    }

    @Test("DELETE_IN_PROGRESS revisions are purged once nothing references them; revisions are never reused")
    func purge() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "job"))
        _ = try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "job"))
        for rev in 1...2 {
            _ = try h.call("DeregisterTaskDefinition", #"{"taskDefinition": "job:\#(rev)"}"#)
        }
        _ = try h.call("DeleteTaskDefinitions", #"{"taskDefinitions": ["job:1", "job:2"]}"#)
        var task = try h.insertTask(last: .running, taskDefinitionArn: h.arn(.taskDefinition(family: "job", revision: 1)))

        let first = try h.store.write { db in try TaskDefinitionRecord.purgeUnreferenced(db) }
        #expect(first == [h.arn(.taskDefinition(family: "job", revision: 2))])
        #expect(try h.call("ListTaskDefinitionFamilies")["families"].map(strings) == ["job"])

        task.lastStatus = .stopped
        try h.store.write { db in try task.update(db) }
        let second = try h.store.write { db in try TaskDefinitionRecord.purgeUnreferenced(db) }
        #expect(second == [h.arn(.taskDefinition(family: "job", revision: 1))])
        #expect(h.error("DescribeTaskDefinition", #"{"taskDefinition": "job:1"}"#)?.message == "Unable to describe task definition.")
        // ECS: when every revision is gone the family is no longer returned...
        #expect(try h.call("ListTaskDefinitionFamilies")["families"].map(strings) == [])
        // ...but its name is kept and revisions continue.
        let again = object(try h.call("RegisterTaskDefinition", taskDefinitionBody(family: "job"))["taskDefinition"])
        #expect(again["revision"] as? Int == 3)
    }

    @Test("unsettled tasks are those whose last status differs from the desired one")
    func unsettled() throws {
        let h = try ECSHarness()
        _ = try h.call("CreateCluster")
        let starting = try h.insertTask(last: .provisioning, desired: .running)
        _ = try h.insertTask(last: .running, desired: .running)
        let stopping = try h.insertTask(last: .running, desired: .stopped)
        _ = try h.insertTask(last: .stopped, desired: .stopped)
        let ids = try h.store.read { db in try TaskRecord.unsettled(db).map(\.id) }
        #expect(Set(ids) == [starting.id, stopping.id])
    }

    @Test("status machines move only the ways ECS does")
    func statusMachines() {
        #expect(ECSTaskDefinitionStatus.active.canMove(to: .inactive))
        #expect(!ECSTaskDefinitionStatus.active.canMove(to: .deleteInProgress))
        #expect(!ECSTaskDefinitionStatus.deleteInProgress.canMove(to: .active))
        #expect(ECSContainerInstanceStatus.active.canUpdate(to: .draining))
        #expect(ECSContainerInstanceStatus.draining.canUpdate(to: .active))
        #expect(!ECSContainerInstanceStatus.registering.canUpdate(to: .draining))
        #expect(!ECSContainerInstanceStatus.active.canUpdate(to: .inactive))
        #expect(ECSTaskStatus.pending.canMove(to: .running))
        #expect(!ECSTaskStatus.stopped.canMove(to: .running))
        #expect(ECSServiceStatus.active.canMove(to: .draining))
        #expect(!ECSServiceStatus.inactive.canMove(to: .active))
    }
}
