import Foundation

/// What a ``ServiceRecord``'s `document` holds: the members of ECS's `Service` that no query
/// filters on.
struct ServiceDocument: StoredDocument, Sendable, Equatable {
    var loadBalancers: [TaskLoadBalancer] = []
    var serviceRegistries: [ServiceRegistry] = []
    var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    var platformVersion: String?
    var deploymentConfiguration: DeploymentConfiguration = .replicaDefault
    var roleArn: String?
    var placementConstraints: [PlacementConstraintMember] = []
    var placementStrategy: [PlacementStrategyMember] = []
    var networkConfiguration: TaskNetworkConfiguration?
    var healthCheckGracePeriodSeconds: Int?
    var createdBy: String?
    var enableECSManagedTags: Bool = false
    var propagateTags: String = "NONE"
    var enableExecuteCommand: Bool = false
    /// The CreateService `clientToken` the service was created with, and that request's
    /// parameters but the token as canonical JSON: a retry matching both succeeds (nil: created
    /// without a token, or before tokens were kept).
    var creationToken: ClientToken?
}

/// What a ``DeploymentRecord``'s `document` holds: the settings its tasks are launched with
/// (fixed when the deployment starts; a rollback starts a deployment from these).
struct DeploymentDocument: StoredDocument, Sendable, Equatable {
    var launchType: String?
    /// The capacity provider the strategy resolved to, if the service has a strategy.
    var capacityProviderName: String?
    var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    var platformVersion: String?
    var networkConfiguration: TaskNetworkConfiguration?
    var loadBalancers: [TaskLoadBalancer] = []
}

/// ECS deployment ids: `ecs-svc/` and 19 decimal digits.
enum DeploymentID {
    static let prefix = "ecs-svc/"

    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var digits = String(Int.random(in: 1...9, using: &generator))
        for _ in 0..<18 { digits.append(String(Int.random(in: 0...9, using: &generator))) }
        return prefix + digits
    }
}
