import Runtime

/// The labels ``LocalAgent`` puts on each runtime task, named as the ECS agent names the Docker
/// labels of a task's containers: which ECS task the runtime task runs and from which revision.
/// They let a restarted agent tell its own runtime tasks apart exactly (see
/// ``LocalAgent``'s interrupted launches) and let anyone reading the runtime see the ECS task.
enum ECSTaskLabels {
    static let taskArn = "com.amazonaws.ecs.task-arn"
    static let taskDefinitionFamily = "com.amazonaws.ecs.task-definition-family"
    static let taskDefinitionVersion = "com.amazonaws.ecs.task-definition-version"

    /// The labels of the runtime task that runs `request`.
    static func labels(for request: AgentTaskStart) -> [String: String] {
        var labels = [taskArn: request.taskArn]
        labels[taskDefinitionFamily] = request.taskDefinition.family
        labels[taskDefinitionVersion] = request.taskDefinition.revision.map(String.init)
        return labels
    }

    /// The ECS task ID (the end of the task ARN) a runtime task is labelled with; nil for one
    /// launched without labels (before they existed).
    static func ecsTaskID(of task: TaskStatus) -> String? {
        guard let label = task.labels[taskArn], case .task(_, let id)? = ECSARN(parsing: label)?.resource else { return nil }
        return id
    }
}
