/// What ListContainerInstances' `filter` is evaluated against: one container instance as the
/// cluster query language sees it (`attribute:NAME`, `ec2InstanceId`, `registeredAt`,
/// `runningTasksCount`, `agentConnected`, `agentVersion`, ...).
public struct ContainerInstanceFilterSubject: Sendable, Equatable {
    public var id: String
    public var arn: String
    public var ec2InstanceId: String?
    public var status: ECSContainerInstanceStatus
    public var agentConnected: Bool
    public var agentVersion: String?
    public var dockerVersion: String?
    /// Seconds since the epoch.
    public var registeredAt: Double
    public var runningTasksCount: Int
    public var pendingTasksCount: Int
    /// Every attribute, agent-reported and custom; a nil value is an attribute without one.
    public var attributes: [String: String?]

    public init(id: String, arn: String, ec2InstanceId: String?, status: ECSContainerInstanceStatus, agentConnected: Bool,
                agentVersion: String?, dockerVersion: String?, registeredAt: Double, runningTasksCount: Int,
                pendingTasksCount: Int, attributes: [String: String?]) {
        self.id = id
        self.arn = arn
        self.ec2InstanceId = ec2InstanceId
        self.status = status
        self.agentConnected = agentConnected
        self.agentVersion = agentVersion
        self.dockerVersion = dockerVersion
        self.registeredAt = registeredAt
        self.runningTasksCount = runningTasksCount
        self.pendingTasksCount = pendingTasksCount
        self.attributes = attributes
    }
}

/// The hook for ListContainerInstances' `filter`: the cluster query language is parsed and
/// evaluated by the Scheduler module, wired in by whoever builds ``ECSAPI``.
///
/// Without an evaluator, a ListContainerInstances request that has a `filter` is refused with
/// InvalidParameterException (rather than silently listing everything).
public protocol ContainerInstanceFilterEvaluator: Sendable {
    /// The subjects `expression` selects. A malformed expression throws InvalidParameterException
    /// with the parser's message.
    func select(expression: String, from candidates: [ContainerInstanceFilterSubject]) throws(ECSError) -> [ContainerInstanceFilterSubject]
}
