import AWSProtocol
import AWSTestSupport
import Autoscaler
import Foundation
import Synchronization
@testable import AutoScaling

/// Stands in for the control plane's ECS services: counts per service, every
/// setDesiredCount recorded; new tasks are healthy at once unless `startupTicks` says how
/// many `advance()` calls they take.
final class FakeDirectory: ECSServiceDirectory {
    struct Change: Sendable, Equatable {
        var service: ECSServiceReference
        var count: Int
        var cause: String
    }

    private struct State {
        var services: [ECSServiceReference: CapacitySnapshot] = [:]
        var changes: [Change] = []
        var failure: String?
    }

    private let state = Mutex(State())

    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    func add(_ service: ECSServiceReference, desired: Int) {
        state.withLock { $0.services[service] = CapacitySnapshot(desired: desired, running: desired, healthy: desired) }
    }

    func failNextChanges(_ reason: String?) {
        state.withLock { $0.failure = reason }
    }

    var changes: [Change] { state.withLock { $0.changes } }

    func desired(_ service: ECSServiceReference) -> Int? { state.withLock { $0.services[service]?.desired } }

    func capacity(of service: ECSServiceReference) throws -> CapacitySnapshot? {
        state.withLock { $0.services[service] }
    }

    func setDesiredCount(_ count: Int, of service: ECSServiceReference, cause: String) throws {
        try state.withLock { state throws(Refused) in
            if let failure = state.failure { throw Refused(description: failure) }
            state.changes.append(Change(service: service, count: count, cause: cause))
            state.services[service] = CapacitySnapshot(desired: count, running: count, healthy: count)
        }
    }
}

/// Stands in for the load balancer's and cgroups' per-second readings.
final class FakeMetrics: ScalingMetricSource {
    private let values = Mutex<[ScalingMetric: Double]>([:])
    private let readings = Mutex(0)

    /// How many readings the controller has taken.
    var readingCount: Int { readings.withLock { $0 } }

    func set(_ metric: ScalingMetric, _ value: Double?) {
        values.withLock { $0[metric] = value }
    }

    func reading(of metric: ScalingMetric, for service: ECSServiceReference, at time: Date) -> Double? {
        readings.withLock { $0 += 1 }
        return values.withLock { $0[metric] }
    }
}

/// A fixed test key, and requests signed with it through AWSProtocol's signer.
enum Signing {
    static let requests = SignedJSONRequests(
        credential: AWSCredential(
            profile: "wharf", accessKeyID: "AKIAWHARFAUTOSCALE01", secretAccessKey: "aUt0Sc4l3+T3stS3cr3t/Abcdefghijklmnopqrs"),
        region: "eu-west-1", service: "application-autoscaling", targetPrefix: "AnyScaleFrontendService")
    static let date = Date(timeIntervalSince1970: 1_795_342_500)

    static func verifier() throws -> SigV4Verifier {
        let now = date
        return try requests.verifier(clock: { now })
    }

    static func request(_ operation: String, _ body: JSONValue, sign: Bool = true) throws -> AWSRequest {
        try requests.request(operation, body, date: sign ? date : nil)
    }
}

/// An API, its router, a fake directory with `service/default/web`, and helpers to call it.
struct APIFixture: AWSJSONCalling {
    static let account = "123456789012"
    static let web = ECSServiceReference(cluster: "default", service: "web")
    static let label = "app/web-lb/50dc6c495c0c9188/targetgroup/web/73e2d6bc24d8a067"

    let store: AutoScalingStore
    let directory = FakeDirectory()
    let metrics = FakeMetrics()
    let router: AWSJSONRouter

    init(tuning: TargetTrackingTuning = .standard) throws {
        store = try AutoScalingStore.inMemory()
        directory.add(Self.web, desired: 4)
        var router = AWSJSONRouter(verifier: try Signing.verifier())
        AutoScalingAPI(store: store, directory: directory, accountID: Self.account, tuning: tuning, clock: { Signing.date })
            .register(on: &router)
        self.router = router
    }

    /// Calls `operation` and returns the status and parsed body.
    func call(_ operation: String, _ body: JSONValue) async throws -> (status: Int, body: JSONValue) {
        let response = router.handle(try Signing.request(operation, body))
        return (response.status, try JSONParser().parse(response.body))
    }

    static let webTarget: JSONValue = [
        "ServiceNamespace": "ecs", "ResourceId": "service/default/web", "ScalableDimension": "ecs:service:DesiredCount",
    ]

    /// `webTarget` with more members.
    static func web(_ extra: [String: JSONValue]) -> JSONValue {
        var members = webTarget.objectValue ?? [:]
        for (key, value) in extra { members[key] = value }
        return .object(members)
    }

    func registerWeb(min: Int = 1, max: Int = 20) async throws {
        try await ok("RegisterScalableTarget", Self.web(["MinCapacity": .int(min), "MaxCapacity": .int(max)]))
    }

    func putRequestPolicy(name: String = "web-requests", target: Double = 600, extra: [String: JSONValue] = [:]) async throws -> JSONValue {
        var configuration: [String: JSONValue] = [
            "TargetValue": .double(target),
            "PredefinedMetricSpecification": ["PredefinedMetricType": "ALBRequestCountPerTarget", "ResourceLabel": .string(Self.label)],
        ]
        for (key, value) in extra { configuration[key] = value }
        return try await ok("PutScalingPolicy", Self.web([
            "PolicyName": .string(name), "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": .object(configuration),
        ]))
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
}
