import Foundation
import GRDB
import Testing
@testable import ControlPlane

/// DescribeTasks answers from each task's cached JSON only while the task's row is unchanged.
@Suite("Task JSON cache")
struct TaskJSONCacheTests {
    /// A task row of `id` whose last status is `last`.
    static func record(_ id: String, last: ECSTaskStatus = .running) -> TaskRecord {
        TaskRecord(id: id, arn: "arn:aws:ecs:us-east-1:123456789012:task/default/\(id)", clusterName: "default",
                   taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1",
                   desiredStatus: last == .stopped ? .stopped : .running, lastStatus: last, createdAt: 1_700_000_000)
    }

    static func source(_ record: TaskRecord) -> TaskJSONCache.Source {
        TaskJSONCache.Source(record: record, containerInstanceArn: nil, tags: [])
    }

    @Test("DescribeTasks shows every write after the task's JSON was cached, also one that keeps the version")
    func describeFollowsWrites() throws {
        let (h, _) = try TaskAPITests.harness()
        let arn = try #require(objects(try h.call("RunTask", #"{"taskDefinition": "plain"}"#)["tasks"]).first?["taskArn"] as? String)
        let id = String(try #require(arn.split(separator: "/").last))
        func described() throws -> [String: Any] {
            object(objects(try h.call("DescribeTasks", #"{"tasks": ["\#(arn)"]}"#)["tasks"]).first)
        }
        #expect(try described()["desiredStatus"] as? String == "RUNNING")
        #expect(try described()["healthStatus"] as? String == "UNKNOWN")
        #expect(h.store.encodedTasks.holds(taskID: id))

        // A document change that ECS's version does not count.
        try h.store.write { db in
            var record = try #require(try TaskRecord.fetch(db, id: id))
            var document = record.decodedDocument
            document.healthStatus = "HEALTHY"
            record.document = document.encodedForTask(id)
            try record.update(db)
        }
        let healthy = try described()
        #expect(healthy["healthStatus"] as? String == "HEALTHY")
        #expect(healthy["version"] as? Int == 1)

        _ = try h.call("StopTask", #"{"task": "\#(arn)", "reason": "done"}"#)
        let stopping = try described()
        #expect(stopping["desiredStatus"] as? String == "STOPPED")
        #expect(stopping["stoppedReason"] as? String == "done")
        #expect(stopping["version"] as? Int == 2)
    }

    @Test("a cached element is the task's own encoding, and is replaced when the row changes")
    func entryFollowsTheRow() throws {
        let cache = TaskJSONCache()
        var record = Self.record("a")
        let first = try cache.json(Self.source(record), render: TaskRendering.render)
        #expect(first == (try ECSJSONCoding.encode(TaskRendering.render(Self.source(record)))))
        var renders = 0
        let counting: (TaskJSONCache.Source) -> ECSTask = { renders += 1; return TaskRendering.render($0) }
        #expect(try cache.json(Self.source(record), render: counting) == first)
        #expect(renders == 0)
        record.stoppedReason = "changed"
        let second = try cache.json(Self.source(record), render: counting)
        #expect(renders == 1)
        #expect(second != first)
        #expect(String(decoding: second, as: UTF8.self).contains(#""stoppedReason":"changed""#))
        // Tags asked for are part of what an element is made of.
        var tagged = Self.source(record)
        tagged.tags = [ECSTag(key: "team", value: "edge")]
        #expect(try cache.json(tagged, render: counting) != second)
        #expect(renders == 2)
        #expect(cache.count == 1)
    }

    @Test("the cache stays within its capacity, dropping STOPPED tasks first, and forgets removed tasks")
    func boundedAndEvicting() throws {
        let cache = TaskJSONCache()
        let running = (0..<10).map { Self.record("running-\($0)") }
        for record in running { _ = try cache.json(Self.source(record), render: TaskRendering.render) }
        for index in 0..<(TaskJSONCache.capacity - running.count) {
            _ = try cache.json(Self.source(Self.record("stopped-\(index)", last: .stopped)), render: TaskRendering.render)
        }
        #expect(cache.count == TaskJSONCache.capacity)
        _ = try cache.json(Self.source(Self.record("one-more")), render: TaskRendering.render)
        #expect(cache.count == running.count + 1)
        #expect(running.allSatisfy { cache.holds(taskID: $0.id) })
        #expect(!cache.holds(taskID: "stopped-0"))
        cache.forget(taskID: "one-more")
        #expect(!cache.holds(taskID: "one-more"))
        #expect(cache.count == running.count)
    }

    @Test("a removed stopped task is MISSING although its JSON was cached")
    func purgedTaskIsMissing() throws {
        let (h, _) = try TaskAPITests.harness()
        let task = try h.insertTask(last: .stopped, desired: .stopped)
        _ = try h.call("DescribeTasks", #"{"tasks": ["\#(task.arn)"]}"#)
        #expect(h.store.encodedTasks.holds(taskID: task.id))
        try h.store.write { db in
            try db.execute(sql: "UPDATE task SET stoppedAt = ? WHERE id = ?", arguments: [1.0, task.id])
            try TaskRetention.purge(db, now: 1.0 + TaskRetention.stoppedTaskVisibility + 1)
        }
        let answer = try h.call("DescribeTasks", #"{"tasks": ["\#(task.arn)"]}"#)
        #expect(objects(answer["tasks"]).isEmpty)
        #expect(objects(answer["failures"]).first?["reason"] as? String == "MISSING")
    }

    @Test("DescribeTasks' assembled answer is byte for byte what encoding the whole response writes")
    func assembledAnswerMatchesEncoder() throws {
        let tasks = [Self.record("a"), Self.record("b", last: .stopped)].map { TaskRendering.render(Self.source($0)) }
        let failures = [ECSFailure(arn: "arn:aws:ecs:us-east-1:123456789012:task/default/x", reason: "MISSING")]
        for (shownTasks, shownFailures) in [(tasks, failures), (tasks, []), ([], failures), ([], [])] {
            let assembled = try EncodedTasksResponse(tasks: shownTasks.map { try ECSJSONCoding.encode($0) }, failures: shownFailures)
                .encoded()
            #expect(assembled == (try ECSJSONCoding.encode(TasksResponse(tasks: shownTasks, failures: shownFailures))))
        }
    }
}
