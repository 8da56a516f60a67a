import Foundation

/// What a ``ServiceRecord``'s `document` holds: the members of ECS's `Service` that no query
/// filters on.
struct ServiceDocument: Codable, Sendable, Equatable {
    var loadBalancers: [TaskLoadBalancer] = []
    var serviceRegistries: [ServiceRegistry] = []
    var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    var platformVersion: String?
    var deploymentConfiguration: DeploymentConfiguration = .replicaDefault
    var roleArn: String?
    var placementConstraints: [ServicePlacementConstraint] = []
    var placementStrategy: [ServicePlacementStrategy] = []
    var networkConfiguration: TaskNetworkConfiguration?
    var healthCheckGracePeriodSeconds: Int?
    var createdBy: String?
    var enableECSManagedTags: Bool = false
    var propagateTags: String = "NONE"
    var enableExecuteCommand: Bool = false

    static func decode(_ text: String) -> ServiceDocument {
        (try? JSONDecoder().decode(ServiceDocument.self, from: Data(text.utf8))) ?? ServiceDocument()
    }

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// What a ``DeploymentRecord``'s `document` holds.
struct DeploymentDocument: Codable, Sendable, Equatable {
    var launchType: String?
    var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    var platformVersion: String?
    var networkConfiguration: TaskNetworkConfiguration?
    /// Set when the deployment finished (its rollout completed, or it failed and was rolled back).
    var finishedAt: Double?

    static func decode(_ text: String) -> DeploymentDocument {
        (try? JSONDecoder().decode(DeploymentDocument.self, from: Data(text.utf8))) ?? DeploymentDocument()
    }

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// ECS deployment ids: `ecs-svc/` and 19 decimal digits.
enum DeploymentID {
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var digits = String(Int.random(in: 1...9, using: &generator))
        for _ in 0..<18 { digits.append(String(Int.random(in: 0...9, using: &generator))) }
        return "ecs-svc/" + digits
    }
}
