import AWSProtocol
import Autoscaler
import Foundation

/// The Application Auto Scaling API (AWS JSON 1.1, target prefix `AnyScaleFrontendService`,
/// signing name `application-autoscaling`) over ``AutoScalingStore``, for ECS services only.
///
/// Each operation validates its whole input before it writes, and writes in one transaction.
/// ``handle(operation:input:region:)`` blocks on the store and on the service directory:
/// the router runs it in a task, off any event loop.
public struct AutoScalingAPI: Sendable {
    /// The operations served.
    public static let operations: Set<String> = [
        "RegisterScalableTarget", "DescribeScalableTargets", "DeregisterScalableTarget",
        "PutScalingPolicy", "DescribeScalingPolicies", "DeleteScalingPolicy", "DescribeScalingActivities",
        "PutScheduledAction", "DescribeScheduledActions", "DeleteScheduledAction",
        "TagResource", "UntagResource", "ListTagsForResource",
    ]

    /// AWS's quotas, as named limits.
    public enum Limits {
        /// Scalable targets per account and namespace.
        public static let scalableTargets = 3000
        /// Scaling policies per scalable target.
        public static let policiesPerTarget = 50
        /// Scheduled actions per scalable target.
        public static let scheduledActionsPerTarget = 200
        /// Tags per resource.
        public static let tagsPerResource = 50
    }

    let store: AutoScalingStore
    let directory: any ECSServiceDirectory
    let accountID: String
    let tuning: TargetTrackingTuning
    let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - store: the durable state (shared with ``AutoScalingController``).
    ///   - directory: the ECS services (a target can be registered only for one that exists).
    ///   - accountID: the account ARNs are built with.
    ///   - tuning: how target-tracking policies react (validated policies are built with it).
    ///   - clock: the current time (creation times).
    public init(
        store: AutoScalingStore, directory: any ECSServiceDirectory, accountID: String,
        tuning: TargetTrackingTuning = .standard, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.directory = directory
        self.accountID = accountID
        self.tuning = tuning
        self.clock = clock
    }

    /// Registers every operation on `router` for ``AWSProtocol/AWSService/applicationAutoScaling``.
    public func register(on router: inout AWSJSONRouter) {
        let api = self
        router.register(.applicationAutoScaling, operations: Self.operations) { operation, input, context throws(AWSServiceError) in
            try api.handle(operation: operation, input: input, region: context.identity.region)
        }
    }

    /// Runs `operation` on the request object `input` for a caller in `region`.
    public func handle(operation: String, input: JSONValue, region: String) throws(AWSServiceError) -> JSONValue {
        let members = try JSONMembers(input, errorType: "ValidationException")
        switch operation {
        case "RegisterScalableTarget": return try registerScalableTarget(members, region: region)
        case "DescribeScalableTargets": return try describeScalableTargets(members)
        case "DeregisterScalableTarget": return try deregisterScalableTarget(members)
        case "PutScalingPolicy": return try putScalingPolicy(members, region: region)
        case "DescribeScalingPolicies": return try describeScalingPolicies(members)
        case "DeleteScalingPolicy": return try deleteScalingPolicy(members)
        case "DescribeScalingActivities": return try describeScalingActivities(members)
        case "PutScheduledAction": return try putScheduledAction(members, region: region)
        case "DescribeScheduledActions": return try describeScheduledActions(members)
        case "DeleteScheduledAction": return try deleteScheduledAction(members)
        case "TagResource": return try tagResource(members)
        case "UntagResource": return try untagResource(members)
        case "ListTagsForResource": return try listTagsForResource(members)
        default: throw .unknownOperation()
        }
    }

    // MARK: Store access with this API's errors

    func transaction<T>(_ body: (GRDBDatabase) throws -> T) throws(AWSServiceError) -> T {
        do {
            return try store.write(body)
        } catch {
            throw AutoScalingError.from(error)
        }
    }

    func snapshot<T>(_ body: (GRDBDatabase) throws -> T) throws(AWSServiceError) -> T {
        do {
            return try store.read(body)
        } catch {
            throw AutoScalingError.from(error)
        }
    }

    var now: Double { clock().timeIntervalSince1970 }
}
