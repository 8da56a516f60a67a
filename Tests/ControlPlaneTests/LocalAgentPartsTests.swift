@testable import ControlPlane
import Dispatch
import Foundation
import Synchronization
import Testing

/// The local agent's parts that need no runtime: its blocking-call runner and its ledger.
struct LocalAgentPartsTests {
    /// How long a test waits for calls that should finish at once, in seconds. Only a failing
    /// run waits this long; it is generous because the tasks these tests start need one of
    /// Swift's cooperative threads first, and on a loaded two-core CI host every test of the
    /// process was once held up for 13 s together.
    static let patienceSeconds = 60

    @Test("a slow runtime call does not hold up later calls while another runner thread is free")
    func slowCallDoesNotHoldUpLaterCalls() async throws {
        let runner = try BlockingRunner(label: "test-runner", width: 2)
        let release = DispatchSemaphore(value: 0)
        let slowStarted = Atomic<Bool>(false)
        let slow = Task {
            await runner.run { () -> Result<Int, Never> in
                slowStarted.store(true, ordering: .relaxed)
                // Blocks a runner thread, never one of Swift's cooperative threads: those are
                // few (one per core) and shared with the tests running in parallel.
                release.wait()
                return .success(0)
            }
        }
        let clock = ContinuousClock()
        let startDeadline = clock.now + .seconds(Self.patienceSeconds)
        while !slowStarted.load(ordering: .relaxed) && clock.now < startDeadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let started = slowStarted.load(ordering: .relaxed)
        #expect(started, "the slow call never started")
        // With a queue per thread taken in turn, every second call would wait behind the slow one.
        let quickCalls = 6
        let quickDone = Atomic<Int>(0)
        let finished = Task {
            var results: [Int] = []
            for index in 1...quickCalls {
                results.append(await runner.run { () -> Result<Int, Never> in .success(index) })
                quickDone.add(1, ordering: .relaxed)
            }
            return results
        }
        let deadline = clock.now + .seconds(Self.patienceSeconds)
        while quickDone.load(ordering: .relaxed) < quickCalls && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let doneWhileSlowRan = quickDone.load(ordering: .relaxed)
        release.signal()
        #expect(doneWhileSlowRan == quickCalls, "only \(doneWhileSlowRan) of \(quickCalls) quick calls ran beside the slow one")
        #expect(await finished.value == Array(1...quickCalls))
        #expect(await slow.value == 0)
    }

    @Test("a runner call's typed error comes back to the caller")
    func errorsComeBack() async throws {
        let runner = try BlockingRunner(label: "test-runner", width: 1)
        await #expect(throws: AgentError.taskNotFound(taskID: "t1")) {
            try await runner.run { () -> Result<Int, AgentError> in .failure(.taskNotFound(taskID: "t1")) }
        }
    }

    @Test("ledger entries survive a reopen, are found by runtime task, and leave no temporary files")
    func ledgerRoundTrip() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var ledger = try LocalAgentLedger(stateDirectory: directory)
        let intent = LocalAgentLedger.Entry(taskID: "a1", runtimeTaskID: nil, familyAndRevision: "web:1", intentAt: 1,
                                            pullStartedAt: nil, pullStoppedAt: nil)
        try ledger.save(intent)
        #expect(ledger.claimedRuntimeTasks.isEmpty)
        var launched = intent
        launched.runtimeTaskID = "r1"
        // As the agent does: the file outside its lock, then the entry in memory.
        try ledger.files.write(launched)
        ledger.record(launched)
        try ledger.save(LocalAgentLedger.Entry(taskID: "b2", runtimeTaskID: "r2", familyAndRevision: "web:1", intentAt: 2,
                                               pullStartedAt: 2, pullStoppedAt: 3))
        #expect(ledger.taskID(forRuntimeTask: "r1") == "a1")
        #expect(ledger.taskID(forRuntimeTask: "r2") == "b2")
        #expect(ledger.claimedRuntimeTasks == ["r1", "r2"])

        let reopened = try LocalAgentLedger(stateDirectory: directory)
        #expect(reopened.entries == ledger.entries)
        #expect(reopened.taskID(forRuntimeTask: "r1") == "a1")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/tasks").sorted()
        #expect(files == ["a1.json", "b2.json"])

        try ledger.remove("a1")
        try ledger.remove("a1")  // absent is fine
        #expect(ledger.taskID(forRuntimeTask: "r1") == nil)
        #expect(ledger.claimedRuntimeTasks == ["r2"])
        #expect(try LocalAgentLedger(stateDirectory: directory).entries.keys.sorted() == ["b2"])
    }
}
