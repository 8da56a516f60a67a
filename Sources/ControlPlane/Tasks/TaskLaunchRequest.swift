import Scheduler

/// Tasks to start from one task definition revision: what RunTask and StartTask ask for, and
/// what a service controller asks for on a service's behalf (it sets `serviceArn`, the
/// `service:NAME` group, `startedBy` and the service's `loadBalancers`).
///
/// Built by ``ECSAPI/launchTasks(_:context:)`` callers; validated there.
public struct TaskLaunchRequest: Sendable {
    /// Where the tasks go.
    public enum Placement: Sendable {
        /// `count` tasks placed by the scheduler (RunTask): the request's strategies and
        /// constraints (the task definition's constraints are added).
        case scheduler(count: Int, strategies: [Scheduler.PlacementStrategy], constraints: [Scheduler.PlacementConstraint])
        /// One task on each of these container instances, IDs or ARNs (StartTask).
        case instances([String])
    }

    /// Cluster name or ARN; `default` when nil.
    public var cluster: String?
    /// `family`, `family:revision` or the task definition ARN.
    public var taskDefinition: String
    public var placement: Placement
    public var launchType: ECSLaunchType
    /// Set when the tasks were asked for through a capacity provider strategy.
    public var capacityProviderName: String?
    /// RunTask without a launch type: the request's capacity provider strategy (empty: none
    /// given), from which the launch works out `launchType` and `capacityProviderName` against
    /// the cluster (its default strategy when empty). Nil: they are set already.
    public var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    /// FARGATE only; `LATEST` or nil is reported as the current platform version.
    public var platformVersion: String?
    public var networkConfiguration: TaskNetworkConfiguration?
    public var overrides: TaskOverride?
    /// Task group; `family:FAMILY` when nil.
    public var group: String?
    public var startedBy: String?
    /// The owning service, for service tasks (which may run an INACTIVE revision, as ECS lets
    /// services scale up on one).
    public var serviceArn: String?
    /// Target groups the tasks' ports are registered in while they run (services).
    public var loadBalancers: [TaskLoadBalancer]
    public var tags: [ECSTag]
    /// Copy the task definition's tags to the tasks (`propagateTags: TASK_DEFINITION`).
    public var propagateTaskDefinitionTags: Bool
    public var enableExecuteCommand: Bool
    /// Tag the tasks with ECS's managed tags (`aws:ecs:clusterName`, and `aws:ecs:serviceName`
    /// for a service's tasks).
    public var enableECSManagedTags: Bool
    /// RunTask's `clientToken`: a retry with the same token answers the first request's tasks.
    public var clientToken: ClientToken?

    public init(
        cluster: String? = nil, taskDefinition: String, placement: Placement, launchType: ECSLaunchType = .ec2,
        capacityProviderName: String? = nil, capacityProviderStrategy: [ECSCapacityProviderStrategyItem]? = nil,
        platformVersion: String? = nil, networkConfiguration: TaskNetworkConfiguration? = nil, overrides: TaskOverride? = nil, group: String? = nil,
        startedBy: String? = nil, serviceArn: String? = nil, loadBalancers: [TaskLoadBalancer] = [], tags: [ECSTag] = [],
        propagateTaskDefinitionTags: Bool = false, enableExecuteCommand: Bool = false, enableECSManagedTags: Bool = false,
        clientToken: ClientToken? = nil
    ) {
        self.cluster = cluster
        self.taskDefinition = taskDefinition
        self.placement = placement
        self.launchType = launchType
        self.capacityProviderName = capacityProviderName
        self.capacityProviderStrategy = capacityProviderStrategy
        self.platformVersion = platformVersion
        self.networkConfiguration = networkConfiguration
        self.overrides = overrides
        self.group = group
        self.startedBy = startedBy
        self.serviceArn = serviceArn
        self.loadBalancers = loadBalancers
        self.tags = tags
        self.propagateTaskDefinitionTags = propagateTaskDefinitionTags
        self.enableExecuteCommand = enableExecuteCommand
        self.enableECSManagedTags = enableECSManagedTags
        self.clientToken = clientToken
    }
}

/// What a launch started and what it could not place.
public struct TaskLaunchResult: Sendable, Equatable {
    /// The tasks created, as ECS's `Task` (PROVISIONING).
    public var tasks: [ECSTask]
    /// ECS `failures`: per container instance, why it could not take a task
    /// (`RESOURCE:MEMORY`, `ATTRIBUTE`, `MISSING`, ...).
    public var failures: [ECSFailure]
    /// The IDs of the tasks created, in order.
    public var taskIDs: [String]
}
