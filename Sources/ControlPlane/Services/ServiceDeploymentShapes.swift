/// ECS `ServiceRevisionSummary` (also `ServiceCurrentRevisionSummary`): a revision and its
/// task counts within a service deployment.
public struct ECSServiceRevisionSummary: Codable, Sendable, Equatable {
    public var arn: String
    public var requestedTaskCount: Int
    public var runningTaskCount: Int
    public var pendingTaskCount: Int
}

/// ECS `ServiceDeploymentBrief`: one entry of ListServiceDeployments.
public struct ECSServiceDeploymentBrief: Codable, Sendable, Equatable {
    public var serviceDeploymentArn: String
    public var serviceArn: String
    public var clusterArn: String
    public var startedAt: Double?
    public var createdAt: Double
    public var finishedAt: Double?
    public var targetServiceRevisionArn: String
    public var status: String
    public var statusReason: String?
}

/// ECS `ServiceDeployment`.
public struct ECSServiceDeployment: Codable, Sendable, Equatable {
    public var serviceDeploymentArn: String
    public var serviceArn: String
    public var clusterArn: String
    public var createdAt: Double
    public var startedAt: Double?
    public var finishedAt: Double?
    public var stoppedAt: Double?
    public var updatedAt: Double
    public var sourceServiceRevisions: [ECSServiceRevisionSummary]
    public var targetServiceRevision: ECSServiceRevisionSummary
    public var status: String
    public var statusReason: String?
    public var deploymentConfiguration: DeploymentConfiguration?
    public var rollback: ECSRollback?
    public var deploymentCircuitBreaker: ECSServiceDeploymentCircuitBreaker
    public var alarms: ECSServiceDeploymentAlarms
}

/// ECS `Rollback`: why and to which revision a failed service deployment rolled back.
public struct ECSRollback: Codable, Sendable, Equatable {
    public var reason: String
    public var startedAt: Double
    public var serviceRevisionArn: String
}

/// ECS `ServiceDeploymentCircuitBreaker`: `DISABLED`, `MONITORING`, `MONITORING_COMPLETE` or
/// `TRIGGERED`, with the failed tasks counted against the threshold.
public struct ECSServiceDeploymentCircuitBreaker: Codable, Sendable, Equatable {
    public var status: String
    public var failureCount: Int
    public var threshold: Int
}

/// ECS `ServiceDeploymentAlarms`: always `DISABLED` (Wharf has no CloudWatch alarms to watch).
public struct ECSServiceDeploymentAlarms: Codable, Sendable, Equatable {
    public var status: String
}

/// ECS `ContainerImage`: a container of a revision and its image.
public struct ECSContainerImage: Codable, Sendable, Equatable {
    public var containerName: String?
    public var image: String?
}

/// ECS `ServiceRevision`.
public struct ECSServiceRevision: Codable, Sendable, Equatable {
    public var serviceRevisionArn: String
    public var serviceArn: String
    public var clusterArn: String
    public var taskDefinition: String
    public var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    public var launchType: String?
    public var platformVersion: String?
    public var platformFamily: String?
    public var loadBalancers: [TaskLoadBalancer]
    public var serviceRegistries: [ServiceRegistry]
    public var networkConfiguration: TaskNetworkConfiguration?
    public var containerImages: [ECSContainerImage]
    public var guardDutyEnabled: Bool
    public var createdAt: Double
}
