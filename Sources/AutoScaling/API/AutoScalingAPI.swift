import AWSProtocol
import Autoscaler
import Foundation

/// The Application Auto Scaling API (AWS JSON 1.1, target prefix `AnyScaleFrontendService`,
/// signing name `application-autoscaling`) over ``AutoScalingStore``, for ECS services only.
///
/// Each operation validates its whole input before it writes, and writes in one transaction.
/// Operations block on the store and on the service directory: the transport calls the router
/// on threads of its own, off any event loop and off Swift's cooperative pool.
public struct AutoScalingAPI: Sendable {
    /// The operations served: the keys of the dispatch table.
    public static let operations: Set<String> = Set(handlers.keys)

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
        router.register(.applicationAutoScaling, api: self, memberErrorType: "ValidationException", handlers: Self.handlers)
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
