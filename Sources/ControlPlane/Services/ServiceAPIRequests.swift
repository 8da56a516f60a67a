/// Request and response members of the service operations (ECS API Reference). Members Wharf
/// accepts without acting on (`role`, `serviceConnectConfiguration`, `volumeConfigurations`,
/// `availabilityZoneRebalancing`) are checked where a rule applies and otherwise kept or ignored.

/// CreateService's members. Encodable too: with the `clientToken` left out, its canonical JSON
/// is what a retry under the same token must match.
struct CreateServiceRequest: Codable, ClientTokenRequest {
    var cluster: String?
    var serviceName: String?
    var taskDefinition: String?
    var loadBalancers: [TaskLoadBalancer]?
    var serviceRegistries: [ServiceRegistry]?
    var desiredCount: Int?
    var clientToken: String?
    var launchType: String?
    var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    var platformVersion: String?
    var role: String?
    var deploymentConfiguration: DeploymentConfiguration?
    var placementConstraints: [PlacementConstraintMember]?
    var placementStrategy: [PlacementStrategyMember]?
    var networkConfiguration: TaskNetworkConfiguration?
    var healthCheckGracePeriodSeconds: Int?
    var schedulingStrategy: String?
    var deploymentController: DeploymentController?
    var tags: [ECSTag]?
    var enableECSManagedTags: Bool?
    var propagateTags: String?
    var enableExecuteCommand: Bool?
    var availabilityZoneRebalancing: String?
}

struct UpdateServiceRequest: Decodable {
    var cluster: String?
    var service: String?
    var desiredCount: Int?
    var taskDefinition: String?
    var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    var deploymentConfiguration: DeploymentConfiguration?
    var networkConfiguration: TaskNetworkConfiguration?
    var placementConstraints: [PlacementConstraintMember]?
    var placementStrategy: [PlacementStrategyMember]?
    var platformVersion: String?
    var forceNewDeployment: Bool?
    var healthCheckGracePeriodSeconds: Int?
    var enableExecuteCommand: Bool?
    var enableECSManagedTags: Bool?
    var loadBalancers: [TaskLoadBalancer]?
    var propagateTags: String?
    var serviceRegistries: [ServiceRegistry]?
    var availabilityZoneRebalancing: String?
}

struct DeleteServiceRequest: Decodable {
    var cluster: String?
    var service: String?
    var force: Bool?
}

struct DescribeServicesRequest: Decodable {
    var cluster: String?
    var services: [String]?
    var include: [String]?
}

struct ListServicesByNamespaceRequest: Decodable {
    var namespace: String?
    var nextToken: String?
    var maxResults: Int?
}

struct ListServicesRequest: Decodable {
    var cluster: String?
    var nextToken: String?
    var maxResults: Int?
    var launchType: String?
    var schedulingStrategy: String?
}

/// CreateService, UpdateService and DeleteService answer the service.
struct ServiceResponse: Encodable {
    var service: ECSService
}

struct DescribeServicesResponse: Encodable {
    var services: [ECSService]
    var failures: [ECSFailure]
}

struct ListServicesResponse: Encodable {
    var serviceArns: [String]
    var nextToken: String?
}
