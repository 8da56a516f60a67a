/// What an agent needs to start one task: the control plane's ID for it and the task definition
/// revision with the run's overrides. The agent maps them onto its runtime itself, so a remote
/// agent receives the same document an ECS agent would.
public struct AgentTaskStart: Sendable, Equatable, Codable {
    /// The task ID (the end of the task ARN); the agent's key for the task.
    public var taskID: String
    public var taskArn: String
    /// The revision to run, as DescribeTaskDefinition renders it (family and revision set).
    public var taskDefinition: TaskDefinition
    /// RunTask / StartTask `overrides`.
    public var overrides: TaskOverride?

    public init(taskID: String, taskArn: String, taskDefinition: TaskDefinition, overrides: TaskOverride?) {
        self.taskID = taskID
        self.taskArn = taskArn
        self.taskDefinition = taskDefinition
        self.overrides = overrides
    }

    /// `family:revision`, how the runtime labels the task.
    public var familyAndRevision: String {
        taskDefinition.familyAndRevision() ?? "task"
    }
}
