import AWSProtocol
import Autoscaler
import Foundation
import Logging
import Synchronization
import Testing
@testable import AutoScaling

/// The scaling loop on a fake clock, a fake service directory and fake metrics, with targets
/// and policies put through the API as a client would.
@Suite("Auto scaling controller")
struct AutoScalingControllerTests {
    static let requests = ScalingMetric.requestCountPerTarget(resourceLabel: APIFixture.label)
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A fixture, its controller, and a clock the test moves one second per tick.
    final class Loop: Sendable {
        let api: APIFixture
        let controller: AutoScalingController
        let seconds = AtomicSeconds()

        init(tuning: TargetTrackingTuning = .standard, logger: Logger = Logger(label: "wharf.autoscaling.test")) throws {
            api = try APIFixture(tuning: tuning)
            let seconds = self.seconds
            controller = AutoScalingController(
                store: api.store, directory: api.directory, metrics: api.metrics, tuning: tuning, logger: logger,
                clock: { AutoScalingControllerTests.start.addingTimeInterval(Double(seconds.value)) })
        }

        /// Runs `count` ticks, one simulated second apart.
        func run(_ count: Int) {
            for _ in 0..<count {
                seconds.increment()
                controller.tick(at: AutoScalingControllerTests.start.addingTimeInterval(Double(seconds.value)))
            }
        }
    }

    @Test("A load step scales out within seconds and records the activity as AWS words it")
    func scaleOut() async throws {
        let loop = try Loop()
        try await loop.api.registerWeb(min: 1, max: 20)
        let put = try await loop.api.putRequestPolicy()
        let highAlarm = put[member: "Alarms"]?.arrayValue?.compactMap { $0[member: "AlarmName"]?.stringValue }
            .first { $0.contains("AlarmHigh") }
        loop.api.metrics.set(Self.requests, 40)   // 4 tasks at 600 requests per target per minute
        loop.run(30)
        #expect(loop.api.directory.changes.isEmpty)
        loop.api.metrics.set(Self.requests, 160)
        loop.run(3)
        #expect(loop.api.directory.changes.map(\.count) == [16])
        loop.run(30)
        #expect(loop.api.directory.changes.map(\.count) == [16])

        let output = try await loop.api.ok("DescribeScalingActivities", ["ServiceNamespace": "ecs", "ResourceId": "service/default/web"])
        let activity = try #require(output[member: "ScalingActivities"]?.arrayValue?.first)
        #expect(activity[member: "Description"] == "Setting desired count to 16.")
        #expect(activity[member: "Cause"]?.stringValue == "monitor alarm \(highAlarm ?? "?") in state ALARM triggered policy web-requests")
        #expect(activity[member: "StatusCode"] == "Successful")
        #expect(activity[member: "StatusMessage"] == "Successfully set desired count to 16. Change successfully fulfilled by ecs.")
        #expect(activity[member: "Details"]?.stringValue?.contains("ALBRequestCountPerTarget") == true)
        #expect(activity[member: "ActivityId"]?.stringValue?.isEmpty == false)
        #expect(activity[member: "StartTime"]?.timestampValue != nil)
        #expect(activity[member: "EndTime"]?.timestampValue != nil)
        #expect(loop.api.directory.changes.first?.cause.contains("triggered policy web-requests") == true)
    }

    @Test("After the load drops the service scales in once the stabilization window has passed")
    func scaleIn() async throws {
        let loop = try Loop(tuning: TargetTrackingTuning(scaleInStabilizationSeconds: 20))
        loop.api.directory.add(APIFixture.web, desired: 16)
        try await loop.api.registerWeb(min: 2, max: 20)
        _ = try await loop.api.putRequestPolicy()
        loop.api.metrics.set(Self.requests, 160)
        loop.run(30)
        loop.api.metrics.set(Self.requests, 20)
        loop.run(15)
        #expect(loop.api.directory.changes.isEmpty)
        loop.run(10)
        #expect(loop.api.directory.changes.map(\.count) == [2])
        let activity = loop.controller.recentActivities(limit: 1).first
        #expect(activity?.cause.contains("AlarmLow") == true)
        #expect(activity?.status == .successful)
    }

    @Test("A refused change is recorded as Failed with the reason")
    func failure() async throws {
        let loop = try Loop()
        try await loop.api.registerWeb()
        _ = try await loop.api.putRequestPolicy()
        loop.api.directory.failNextChanges("service is draining")
        loop.api.metrics.set(Self.requests, 160)
        loop.run(5)
        let activity = try #require(loop.controller.recentActivities(limit: 1).first)
        #expect(activity.status == .failed)
        #expect(activity.statusMessage?.contains("service is draining") == true)
    }

    @Test("SuspendedState stops dynamic scaling in that direction")
    func suspended() async throws {
        let loop = try Loop()
        try await loop.api.registerWeb()
        try await loop.api.ok("RegisterScalableTarget", APIFixture.web(["SuspendedState": ["DynamicScalingOutSuspended": true]]))
        _ = try await loop.api.putRequestPolicy()
        loop.api.metrics.set(Self.requests, 160)
        loop.run(10)
        #expect(loop.api.directory.changes.isEmpty)
        try await loop.api.ok("RegisterScalableTarget", APIFixture.web(["SuspendedState": ["DynamicScalingOutSuspended": false]]))
        loop.run(3)
        #expect(loop.api.directory.changes.map(\.count) == [16])
    }

    @Test("A scheduled action sets min and max, and the count follows the new minimum")
    func scheduledAction() async throws {
        let loop = try Loop()
        try await loop.api.registerWeb(min: 1, max: 10)
        // rate(1 minute) anchored at StartTime: fires at start + 60 s, within the 90 s run.
        try await loop.api.ok("PutScheduledAction", APIFixture.web([
            "ScheduledActionName": "peak", "Schedule": "rate(1 minute)", "StartTime": .int(Int(Self.start.timeIntervalSince1970)),
            "ScalableTargetAction": ["MinCapacity": 6, "MaxCapacity": 12],
        ]))
        loop.run(59)
        #expect(loop.api.directory.changes.isEmpty)
        loop.run(2)
        let described = try await loop.api.ok("DescribeScalableTargets", ["ServiceNamespace": "ecs"])
        let target = described[member: "ScalableTargets"]?.arrayValue?.first
        #expect(target?[member: "MinCapacity"] == 6)
        #expect(target?[member: "MaxCapacity"] == 12)
        #expect(loop.api.directory.changes.map(\.count) == [6])
        #expect(loop.api.directory.changes.first?.cause == "minimum capacity was set to 6")
        let activities = loop.controller.recentActivities()
        #expect(activities.contains { $0.cause == "scheduled action name peak was triggered"
            && $0.description == "Setting min capacity to 6 and max capacity to 12" && $0.status == .successful })
    }

    @Test("ScheduledScalingSuspended keeps scheduled actions from running")
    func scheduledSuspended() async throws {
        let loop = try Loop()
        try await loop.api.registerWeb(min: 1, max: 10)
        try await loop.api.ok("RegisterScalableTarget", APIFixture.web(["SuspendedState": ["ScheduledScalingSuspended": true]]))
        try await loop.api.ok("PutScheduledAction", APIFixture.web([
            "ScheduledActionName": "peak", "Schedule": "rate(1 minute)", "StartTime": .int(Int(Self.start.timeIntervalSince1970)),
            "ScalableTargetAction": ["MinCapacity": 6],
        ]))
        loop.run(70)
        #expect(loop.api.directory.changes.isEmpty)
        #expect(loop.controller.recentActivities().isEmpty)
    }

    @Test("A stored policy that no longer parses is skipped and reported once; putting it again takes effect at once")
    func unreadablePolicy() async throws {
        let log = RecordedLog()
        let loop = try Loop(logger: Logger(label: "wharf.autoscaling.test") { _ in RecordingLogHandler(log: log) })
        try await loop.api.registerWeb()
        let arn = try #require(try await loop.api.putRequestPolicy()[member: "PolicyARN"]?.stringValue)
        // Spoil the stored configuration, as only a document of another version could be.
        let store = loop.api.store
        try store.write { db in
            guard var record = try store.record(ScalingPolicyRecord.self, db, resourceID: "service/default/web", name: "web-requests") else {
                throw Failure(description: "the policy was not stored")
            }
            record.configuration = #"{"TargetValue": "#
            try store.save(record, db)
        }
        loop.api.metrics.set(Self.requests, 160)
        loop.run(5)
        #expect(loop.api.directory.changes.isEmpty)
        let errors = log.errors
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.contains(arn) == true)

        _ = try await loop.api.putRequestPolicy()
        loop.run(3)
        #expect(loop.api.directory.changes.map(\.count) == [16])
        #expect(log.errors.count == 1)
    }

    @Test("A changed schedule is read again on the next tick")
    func changedSchedule() async throws {
        let loop = try Loop()
        try await loop.api.registerWeb(min: 1, max: 10)
        let start = Int(Self.start.timeIntervalSince1970)
        try await loop.api.ok("PutScheduledAction", APIFixture.web([
            "ScheduledActionName": "peak", "Schedule": "rate(1 hour)", "StartTime": .int(start),
            "ScalableTargetAction": ["MinCapacity": 6],
        ]))
        loop.run(30)
        try await loop.api.ok("PutScheduledAction", APIFixture.web(["ScheduledActionName": "peak", "Schedule": "rate(1 minute)"]))
        loop.run(35)
        #expect(loop.api.directory.changes.map(\.count) == [6])
    }

    @Test("Several policies: CPU keeps capacity that requests alone would remove")
    func severalPolicies() async throws {
        let loop = try Loop(tuning: TargetTrackingTuning(scaleInStabilizationSeconds: 10))
        loop.api.directory.add(APIFixture.web, desired: 8)
        try await loop.api.registerWeb()
        _ = try await loop.api.putRequestPolicy()
        try await loop.api.ok("PutScalingPolicy", APIFixture.web([
            "PolicyName": "cpu", "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": ["TargetValue": 50, "PredefinedMetricSpecification": ["PredefinedMetricType": "ECSServiceAverageCPUUtilization"]],
        ]))
        loop.api.metrics.set(Self.requests, 10)
        loop.api.metrics.set(.averageCPUUtilization, 50)
        loop.run(40)
        #expect(loop.api.directory.changes.isEmpty)
        loop.api.metrics.set(.averageCPUUtilization, 10)
        loop.run(15)
        #expect(loop.api.directory.changes.map(\.count) == [2])
    }

    @Test("start() ticks on its own thread every second until stop()")
    func thread() async throws {
        let api = try APIFixture()
        try await api.registerWeb()
        _ = try await api.putRequestPolicy()
        api.metrics.set(Self.requests, 40)
        let controller = AutoScalingController(store: api.store, directory: api.directory, metrics: api.metrics)
        let started = Date()
        controller.start()
        try await Task.sleep(for: .milliseconds(2300))
        controller.stop()
        // One tick a second: bounded by the time that really passed (a loaded machine sleeps longer).
        let elapsed = Date().timeIntervalSince(started)
        // The one policy watches one metric: one reading per tick.
        let count = api.metrics.readingCount
        #expect(count >= 2 && count <= Int(elapsed.rounded(.up)) + 1, "\(count) ticks in \(elapsed) s")
        try await Task.sleep(for: .milliseconds(1200))
        #expect(api.metrics.readingCount == count)
    }
}

/// A counter the fake clock reads (shared with the controller's clock closure).
final class AtomicSeconds: Sendable {
    private let storage = Synchronization.Atomic<Int>(0)
    var value: Int { storage.load(ordering: .relaxed) }
    func increment() { storage.add(1, ordering: .relaxed) }
}

/// Log lines a ``RecordingLogHandler`` kept: message and metadata as text, by level.
final class RecordedLog: Sendable {
    private let lines = Mutex<[(level: Logger.Level, text: String)]>([])

    func append(_ level: Logger.Level, _ text: String) { lines.withLock { $0.append((level, text)) } }

    /// The error lines.
    var errors: [String] { lines.withLock { $0.filter { $0.level == .error }.map(\.text) } }
}

/// A log handler that keeps every line in a ``RecordedLog``.
struct RecordingLogHandler: LogHandler {
    let log: RecordedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let metadata = (event.metadata ?? [:]).merging(self.metadata) { first, _ in first }
        log.append(event.level, "\(event.message) \(metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
    }
}
