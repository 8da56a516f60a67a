/// ECS `Service` as DescribeServices, CreateService, UpdateService and DeleteService answer it.
public struct ECSService: Codable, Sendable, Equatable {
    public var serviceArn: String
    public var serviceName: String
    public var clusterArn: String
    public var loadBalancers: [TaskLoadBalancer]
    public var serviceRegistries: [ServiceRegistry]
    public var status: String
    public var desiredCount: Int
    public var runningCount: Int
    public var pendingCount: Int
    public var launchType: String?
    public var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    public var platformVersion: String?
    public var platformFamily: String?
    public var taskDefinition: String
    public var deploymentConfiguration: DeploymentConfiguration
    public var deployments: [ECSDeployment]
    public var roleArn: String?
    public var events: [ECSServiceEvent]
    public var createdAt: Double
    public var placementConstraints: [PlacementConstraintMember]
    public var placementStrategy: [PlacementStrategyMember]
    public var networkConfiguration: TaskNetworkConfiguration?
    public var healthCheckGracePeriodSeconds: Int?
    public var schedulingStrategy: String
    public var deploymentController: DeploymentController
    public var tags: [ECSTag]?
    public var createdBy: String?
    public var enableECSManagedTags: Bool
    public var propagateTags: String
    public var enableExecuteCommand: Bool
    public var availabilityZoneRebalancing: String?
    /// The newest service deployment's ARN.
    public var currentServiceDeployment: String?
    /// What the service's live deployments run, with their task counts.
    public var currentServiceRevisions: [ECSServiceRevisionSummary]?
}

/// ECS `Deployment`: one task definition a service is rolling to or from.
public struct ECSDeployment: Codable, Sendable, Equatable {
    public var id: String
    public var status: String
    public var taskDefinition: String
    public var desiredCount: Int
    public var pendingCount: Int
    public var runningCount: Int
    public var failedTasks: Int
    public var createdAt: Double
    public var updatedAt: Double
    public var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    public var launchType: String?
    public var platformVersion: String?
    public var platformFamily: String?
    public var networkConfiguration: TaskNetworkConfiguration?
    public var rolloutState: String?
    public var rolloutStateReason: String?
}

/// ECS `ServiceEvent`.
public struct ECSServiceEvent: Codable, Sendable, Equatable {
    public var id: String
    public var createdAt: Double
    public var message: String
}

/// ECS `DeploymentConfiguration`: how far a rolling deployment may go above the desired count
/// and below it, and its circuit breaker.
public struct DeploymentConfiguration: Codable, Sendable, Equatable {
    public var deploymentCircuitBreaker: DeploymentCircuitBreaker?
    /// Upper bound of running + pending tasks during a deployment, in percent of desiredCount.
    public var maximumPercent: Int?
    /// Lower bound of healthy tasks during a deployment, in percent of desiredCount.
    public var minimumHealthyPercent: Int?
    public var alarms: DeploymentAlarms?

    /// ECS's defaults for a REPLICA service: 200 / 100, breaker off.
    public static let replicaDefault = DeploymentConfiguration(
        deploymentCircuitBreaker: DeploymentCircuitBreaker(enable: false, rollback: false),
        maximumPercent: 200, minimumHealthyPercent: 100, alarms: nil)

    /// ECS's defaults for a DAEMON service: 100 / 0.
    public static let daemonDefault = DeploymentConfiguration(
        deploymentCircuitBreaker: DeploymentCircuitBreaker(enable: false, rollback: false),
        maximumPercent: 100, minimumHealthyPercent: 0, alarms: nil)
}

/// ECS `DeploymentCircuitBreaker`.
public struct DeploymentCircuitBreaker: Codable, Sendable, Equatable {
    public var enable: Bool
    public var rollback: Bool
}

/// ECS `DeploymentAlarms` (accepted and reported; Wharf has no CloudWatch alarms to watch).
public struct DeploymentAlarms: Codable, Sendable, Equatable {
    public var alarmNames: [String]?
    public var enable: Bool?
    public var rollback: Bool?
}

/// ECS `DeploymentController`: Wharf runs the `ECS` rolling-update controller.
public struct DeploymentController: Codable, Sendable, Equatable {
    public var type: String
}

/// ECS `ServiceRegistry` (Cloud Map); accepted only empty, reported as given.
public struct ServiceRegistry: Codable, Sendable, Equatable {
    public var registryArn: String?
    public var port: Int?
    public var containerName: String?
    public var containerPort: Int?
}
