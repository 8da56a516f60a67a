/// RunTask and StartTask: requests turned into ``TaskLaunchRequest``s.
extension ECSAPI {
    /// RunTask: up to 10 tasks placed by the scheduler on the cluster's instances (EC2), or on
    /// the hosts offering FARGATE capacity (FARGATE, or the FARGATE and FARGATE_SPOT capacity
    /// providers, named or the cluster's default strategy when neither a launch type nor a
    /// strategy is given). Answers the tasks (PROVISIONING) and,
    /// for tasks that could not be placed, ECS's `failures`.
    func runTask(_ request: RunTaskRequest, _ context: ECSRequestContext) throws(ECSError) -> TasksResponse {
        let taskDefinition = try RequestValidation.required(request.taskDefinition, "taskDefinition")
        let count = try TaskValidation.count(request.count)
        // A launch type is checked here; without one, the strategy (the request's or the
        // cluster's default) is resolved against the cluster in the launch's snapshot.
        let launchType = request.launchType == nil ? ECSLaunchType.ec2
            : try TaskValidation.launchType(request.launchType, capacityProviders: request.capacityProviderStrategy).0
        if request.propagateTags == "SERVICE" {
            throw ECSError(.invalidParameterException,
                           "propagateTags SERVICE is not valid when running a task: only a service's tasks have a service to copy tags from.")
        }
        let launch = TaskLaunchRequest(
            cluster: request.cluster, taskDefinition: taskDefinition,
            placement: .scheduler(count: count, strategies: try TaskValidation.strategies(request.placementStrategy),
                                  constraints: try TaskValidation.constraints(request.placementConstraints)),
            launchType: launchType,
            capacityProviderStrategy: request.launchType == nil ? request.capacityProviderStrategy ?? [] : nil,
            platformVersion: request.platformVersion,
            networkConfiguration: request.networkConfiguration, overrides: request.overrides, group: request.group,
            startedBy: request.startedBy, tags: request.tags ?? [],
            propagateTaskDefinitionTags: try TaskValidation.propagatesTaskDefinitionTags(request.propagateTags),
            enableExecuteCommand: request.enableExecuteCommand ?? false,
            enableECSManagedTags: request.enableECSManagedTags ?? false,
            clientToken: try ClientToken.of(request, maxLength: TaskValidation.maxClientTokenLength))
        let result = try launchTasks(launch, context: context)
        return TasksResponse(tasks: result.tasks, failures: result.failures)
    }

    /// StartTask: one task on each named container instance (1 to 10), no scheduler. Instances
    /// that do not exist are failures `MISSING`; instances that cannot take the task are failures
    /// with the scheduler's reason (`RESOURCE:MEMORY`, ...).
    func startTask(_ request: StartTaskRequest, _ context: ECSRequestContext) throws(ECSError) -> TasksResponse {
        let taskDefinition = try RequestValidation.required(request.taskDefinition, "taskDefinition")
        let instances = try RequestValidation.required(request.containerInstances, "containerInstances")
        let launch = TaskLaunchRequest(
            cluster: request.cluster, taskDefinition: taskDefinition, placement: .instances(instances), launchType: .ec2,
            networkConfiguration: request.networkConfiguration, overrides: request.overrides, group: request.group,
            startedBy: request.startedBy, tags: request.tags ?? [],
            propagateTaskDefinitionTags: try TaskValidation.propagatesTaskDefinitionTags(request.propagateTags),
            enableExecuteCommand: request.enableExecuteCommand ?? false,
            enableECSManagedTags: request.enableECSManagedTags ?? false)
        let result = try launchTasks(launch, context: context)
        return TasksResponse(tasks: result.tasks, failures: result.failures)
    }
}
