/// The rules of CreateService and UpdateService members that need no store access.
enum ServiceValidation {
    /// ECS: "Tasks using the Fargate launch type ... don't support the DAEMON scheduling strategy."
    static let daemonOnFargate = ECSError(
        .invalidParameterException, "The DAEMON scheduling strategy is not supported for tasks using the Fargate launch type.")
    /// ECS: at most 5 load balancers per service.
    static let maxLoadBalancers = 5
    static let maxPlacementConstraints = 10
    static let maxPlacementStrategies = 5
    static let schedulingStrategies = ["REPLICA", "DAEMON"]
    static let maxHealthCheckGracePeriod = 2_147_483_647
    /// ECS: a CreateService `clientToken` has up to 36 characters.
    static let maxClientTokenLength = 36

    static func serviceName(_ name: String?) throws(ECSError) -> String {
        let name = try RequestValidation.required(name, "serviceName")
        guard RequestValidation.isValidResourceName(name) else {
            throw ECSError(.invalidParameterException,
                           "Service name can have up to 255 characters: letters (uppercase and lowercase), numbers, hyphens and underscores.")
        }
        return name
    }

    static func desiredCount(_ count: Int?, required: Bool) throws(ECSError) -> Int? {
        guard let count else {
            if required {
                throw ECSError(.invalidParameterException, "desiredCount is required when schedulingStrategy is REPLICA.")
            }
            return nil
        }
        guard count >= 0 else {
            throw ECSError(.invalidParameterException, "desiredCount must be greater than or equal to 0.")
        }
        return count
    }

    /// The deployment configuration in force: `given` members over `base`, checked.
    static func deploymentConfiguration(_ given: DeploymentConfiguration?, base: DeploymentConfiguration,
                                        daemon: Bool) throws(ECSError) -> DeploymentConfiguration {
        var result = base
        if let given {
            if let breaker = given.deploymentCircuitBreaker { result.deploymentCircuitBreaker = breaker }
            if let maximum = given.maximumPercent { result.maximumPercent = maximum }
            if let minimum = given.minimumHealthyPercent { result.minimumHealthyPercent = minimum }
            if let alarms = given.alarms { result.alarms = alarms }
        }
        let minimum = result.minimumHealthyPercent ?? 100
        let maximum = result.maximumPercent ?? 200
        guard (0...100).contains(minimum) else {
            throw ECSError(.invalidParameterException, "minimumHealthyPercent must be between 0 and 100; \(minimum) was given.")
        }
        if daemon {
            guard maximum == 100 else {
                throw ECSError(.invalidParameterException, "The maximumPercent of a service using the DAEMON scheduling strategy must be 100.")
            }
        } else if maximum < 100 {
            throw ECSError(.invalidParameterException, "maximumPercent must be at least 100; \(maximum) was given.")
        }
        return result
    }

    /// `healthCheckGracePeriodSeconds`: 0 to 2147483647. It covers container health checks as
    /// well as target group health, so ECS takes it on services without load balancers too.
    static func healthCheckGracePeriod(_ seconds: Int?) throws(ECSError) -> Int? {
        guard let seconds else { return nil }
        guard (0...maxHealthCheckGracePeriod).contains(seconds) else {
            throw ECSError(.invalidParameterException, "healthCheckGracePeriodSeconds must be between 0 and \(maxHealthCheckGracePeriod).")
        }
        return seconds
    }

    static func propagateTags(_ value: String?) throws(ECSError) -> String? {
        guard let value else { return nil }
        try RequestValidation.oneOf(value, TaskValidation.propagateTagsValues, member: "propagateTags")
        return value
    }

    static func deploymentController(_ controller: DeploymentController?) throws(ECSError) {
        guard let controller else { return }
        try RequestValidation.oneOf(controller.type, ["ECS", "CODE_DEPLOY", "EXTERNAL"], member: "deploymentController.type")
        guard controller.type == "ECS" else {
            throw ECSError(.invalidParameterException,
                           "Deployment controller \(controller.type) is not supported: Wharf runs the ECS rolling update controller.")
        }
    }

    /// The placement members as given (checked; the scheduler's forms are made at launch).
    static func placement(_ constraints: [PlacementConstraintMember]?, _ strategies: [PlacementStrategyMember]?)
        throws(ECSError) -> ([PlacementConstraintMember], [PlacementStrategyMember]) {
        let constraints = constraints ?? []
        let strategies = strategies ?? []
        try RequestValidation.atMost(constraints, maxPlacementConstraints, member: "placementConstraints")
        try RequestValidation.atMost(strategies, maxPlacementStrategies, member: "placementStrategy")
        _ = try TaskValidation.constraints(constraints)
        _ = try TaskValidation.strategies(strategies)
        return (constraints, strategies)
    }

    /// Each load balancer names a target group (or classic load balancer) that exists and a
    /// container and container port of the task definition.
    static func loadBalancers(_ balancers: [TaskLoadBalancer], definition: TaskDefinition,
                              catalog: (any TargetGroupCatalog)?) throws(ECSError) {
        try RequestValidation.atMost(balancers, maxLoadBalancers, member: "loadBalancers")
        for balancer in balancers {
            let group = balancer.targetGroupArn ?? balancer.loadBalancerName
            guard let group, !group.isEmpty else {
                throw ECSError(.invalidParameterException, "loadBalancers must name a targetGroupArn or a loadBalancerName.")
            }
            guard let containerName = balancer.containerName, !containerName.isEmpty else {
                throw ECSError(.invalidParameterException, "containerName must be specified in loadBalancers.")
            }
            guard let port = balancer.containerPort else {
                throw ECSError(.invalidParameterException, "containerPort must be specified in loadBalancers.")
            }
            guard let container = (definition.containerDefinitions ?? []).first(where: { $0.name == containerName }) else {
                throw ECSError(.invalidParameterException,
                               "The container \(containerName) does not exist in the task definition.")
            }
            guard (container.portMappings ?? []).contains(where: { $0.containerPort == port }) else {
                throw ECSError(.invalidParameterException,
                               "The container \(containerName) did not have a container port \(port) defined.")
            }
            if let catalog, !catalog.targetGroupExists(group) {
                throw ECSError(.invalidParameterException, "The target group \(group) does not exist.")
            }
        }
    }
}
