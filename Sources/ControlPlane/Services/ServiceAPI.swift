import GRDB

/// CreateService, UpdateService and DeleteService: desired state written in one transaction,
/// then the service controller is told (it starts, replaces and stops the tasks).
extension ECSAPI {
    func createService(_ request: CreateServiceRequest, _ context: ECSRequestContext) throws(ECSError) -> ServiceResponse {
        let name = try ServiceValidation.serviceName(request.serviceName)
        let taskDefinitionText = try RequestValidation.required(request.taskDefinition, "taskDefinition")
        let scheduling = request.schedulingStrategy ?? "REPLICA"
        try RequestValidation.oneOf(scheduling, ServiceValidation.schedulingStrategies, member: "schedulingStrategy")
        let daemon = scheduling == "DAEMON"
        let desired = try ServiceValidation.desiredCount(request.desiredCount, required: !daemon) ?? 0
        let configuration = try ServiceValidation.deploymentConfiguration(
            request.deploymentConfiguration, base: daemon ? .daemonDefault : .replicaDefault, daemon: daemon)
        let loadBalancers = request.loadBalancers ?? []
        let grace = try ServiceValidation.healthCheckGracePeriod(request.healthCheckGracePeriodSeconds)
        let propagate = try ServiceValidation.propagateTags(request.propagateTags) ?? "NONE"
        try ServiceValidation.deploymentController(request.deploymentController)
        let (constraints, strategies) = try ServiceValidation.placement(request.placementConstraints, request.placementStrategy)
        let requested = try TaskValidation.launchType(request.launchType, capacityProviders: request.capacityProviderStrategy)
        if !(request.serviceRegistries ?? []).isEmpty {
            throw ECSError(.invalidParameterException, "serviceRegistries (AWS Cloud Map) are not supported by Wharf.")
        }
        try TaskValidation.networkConfiguration(request.networkConfiguration)
        let tags = try TagValidation.validate(request.tags ?? [])
        let reference = try TaskDefinitionReference.parse(taskDefinitionText, context)
        let creationToken = try ClientToken.of(request, maxLength: ServiceValidation.maxClientTokenLength)
        let now = context.timestamp

        let (service, created) = try transaction { db -> (ECSService, created: Bool) in
            let cluster = try ClusterReference.active(db, request.cluster, context)
            // A retry of the CreateService that made a service (same token, same parameters)
            // succeeds without doing anything, as ECS's idempotency promises.
            if let creationToken, let earlier = try Self.service(db, createdWith: creationToken, clusterName: cluster.name) {
                return (try ServiceRendering.render(db, earlier, withTags: true, context: context), false)
            }
            var (launchType, capacityProvider) = requested
            var strategy = request.capacityProviderStrategy
            if request.launchType == nil {
                let resolved = try TaskValidation.capacityProviderLaunch(strategy ?? [], capacity: cluster.capacity)
                (launchType, capacityProvider) = (resolved.launchType, resolved.capacityProvider)
                strategy = resolved.strategy.isEmpty ? nil : resolved.strategy
            }
            if daemon, launchType == .fargate {
                throw ServiceValidation.daemonOnFargate
            }
            let arn = context.arn(.service(cluster: cluster.name, name: name)).description
            let existing = try ServiceRecord.fetchOne(db, key: arn)
            let definition = try Self.usableTaskDefinition(db, reference)
            try checkServiceLaunch(definition, launchType: launchType, platformVersion: request.platformVersion,
                                   network: request.networkConfiguration,
                                   loadBalancers: loadBalancers)

            if let existing {
                guard existing.status == .inactive else { throw Self.serviceCreationNotIdempotent }
                try existing.delete(db)
                try TagRecord.filter(Column("resourceArn") == arn).deleteAll(db)
            }
            let document = ServiceDocument(
                loadBalancers: loadBalancers, serviceRegistries: [], capacityProviderStrategy: strategy,
                platformVersion: request.platformVersion, deploymentConfiguration: configuration, roleArn: request.role,
                placementConstraints: constraints, placementStrategy: strategies, networkConfiguration: request.networkConfiguration,
                healthCheckGracePeriodSeconds: grace ?? 0, createdBy: context.callerARN,
                enableECSManagedTags: request.enableECSManagedTags ?? false, propagateTags: propagate,
                enableExecuteCommand: request.enableExecuteCommand ?? false, creationToken: creationToken)
            let record = ServiceRecord(
                arn: arn, clusterName: cluster.name, name: name, status: .active, desiredCount: daemon ? 0 : desired,
                launchType: capacityProvider == nil ? launchType : nil, schedulingStrategy: scheduling,
                taskDefinitionArn: definition.arn, createdAt: now, updatedAt: now, version: 1, document: document.encoded())
            try record.insert(db)
            try TagRecord.merge(db, resourceArn: arn, tags: tags)
            try Self.startDeployment(db, service: record, document: document, now: now)
            return (try ServiceRendering.render(db, record, withTags: true, context: context), true)
        }
        if created { serviceObserver?.serviceChanged(arn: service.serviceArn) }
        return ServiceResponse(service: service)
    }

    func updateService(_ request: UpdateServiceRequest, _ context: ECSRequestContext) throws(ECSError) -> ServiceResponse {
        let serviceText = try RequestValidation.required(request.service, "service")
        let desired = try ServiceValidation.desiredCount(request.desiredCount, required: false)
        let propagate = try ServiceValidation.propagateTags(request.propagateTags)
        let placement = try ServiceValidation.placement(request.placementConstraints, request.placementStrategy)
        if !(request.serviceRegistries ?? []).isEmpty {
            throw ECSError(.invalidParameterException, "serviceRegistries (AWS Cloud Map) are not supported by Wharf.")
        }
        let reference = try request.taskDefinition.map { text throws(ECSError) in try TaskDefinitionReference.parse(text, context) }
        try TaskValidation.networkConfiguration(request.networkConfiguration)
        let now = context.timestamp

        let service = try transaction { db -> ECSService in
            let cluster = try ClusterReference.existing(db, request.cluster, context)
            var record = try ServiceReference.active(db, serviceText, cluster: cluster.name, context)
            var document = ServiceDocument.decode(record.document)
            let daemon = record.schedulingStrategy == "DAEMON"
            var newDeployment = request.forceNewDeployment ?? false

            var definition = try TaskDefinitionRecord.fetchOne(db, key: record.taskDefinitionArn)
            if let reference {
                let chosen = try Self.usableTaskDefinition(db, reference)
                if chosen.arn != record.taskDefinitionArn { newDeployment = true }
                record.taskDefinitionArn = chosen.arn
                definition = chosen
            }
            guard let definition else { throw ECSError(.clientException, "TaskDefinition not found.") }
            if let desired {
                if daemon {
                    throw ECSError(.invalidParameterException, "desiredCount cannot be set on a service using the DAEMON scheduling strategy.")
                }
                record.desiredCount = desired
            }
            document.deploymentConfiguration = try ServiceValidation.deploymentConfiguration(
                request.deploymentConfiguration, base: document.deploymentConfiguration, daemon: daemon)
            if let network = request.networkConfiguration, network != document.networkConfiguration {
                document.networkConfiguration = network
                newDeployment = true
            }
            if let balancers = request.loadBalancers, balancers != document.loadBalancers {
                document.loadBalancers = balancers
                newDeployment = true
            }
            if let version = request.platformVersion, version != document.platformVersion {
                document.platformVersion = version
                newDeployment = true
            }
            if let strategy = request.capacityProviderStrategy {
                // A capacity provider strategy replaces the launch type (ECS moves a service
                // from one to the other only through a new deployment).
                let resolved = try TaskValidation.capacityProviderLaunch(strategy, capacity: cluster.capacity)
                if daemon, resolved.launchType == .fargate {
                    throw ServiceValidation.daemonOnFargate
                }
                document.capacityProviderStrategy = resolved.strategy.isEmpty ? nil : resolved.strategy
                record.launchType = nil
                newDeployment = true
            }
            // ECS: changing the placement, propagateTags or enableECSManagedTags "starts new
            // tasks with the new configuration", as the members above do.
            if request.placementConstraints != nil, placement.0 != document.placementConstraints {
                document.placementConstraints = placement.0
                newDeployment = true
            }
            if request.placementStrategy != nil, placement.1 != document.placementStrategy {
                document.placementStrategy = placement.1
                newDeployment = true
            }
            if let grace = request.healthCheckGracePeriodSeconds {
                document.healthCheckGracePeriodSeconds = try ServiceValidation.healthCheckGracePeriod(grace)
            }
            if let propagate, propagate != document.propagateTags {
                document.propagateTags = propagate
                newDeployment = true
            }
            if let managed = request.enableECSManagedTags, managed != document.enableECSManagedTags {
                document.enableECSManagedTags = managed
                newDeployment = true
            }
            if let execute = request.enableExecuteCommand { document.enableExecuteCommand = execute }

            let launchType = try Self.launchSettings(record, document).launchType
            try checkServiceLaunch(definition, launchType: launchType, platformVersion: document.platformVersion,
                                   network: document.networkConfiguration,
                                   loadBalancers: document.loadBalancers)

            record.document = document.encoded()
            record.updatedAt = now
            record.version += 1
            try record.update(db)
            if newDeployment {
                try Self.startDeployment(db, service: record, document: document, now: now)
            } else {
                try Self.syncPrimaryDesiredCount(db, service: record, now: now)
            }
            return try ServiceRendering.render(db, record, withTags: false, context: context)
        }
        serviceObserver?.serviceChanged(arn: service.serviceArn)
        return ServiceResponse(service: service)
    }

    /// DeleteService: a service still scaled above zero is deleted only with `force`; its
    /// desired count drops to zero and it is DRAINING until its tasks have stopped (then INACTIVE).
    /// Deleting a service that is DRAINING or INACTIVE answers it unchanged.
    func deleteService(_ request: DeleteServiceRequest, _ context: ECSRequestContext) throws(ECSError) -> ServiceResponse {
        let serviceText = try RequestValidation.required(request.service, "service")
        let now = context.timestamp
        let (service, changed) = try transaction { db -> (ECSService, changed: Bool) in
            let cluster = try ClusterReference.existing(db, request.cluster, context)
            guard var record = try ServiceReference.find(db, serviceText, cluster: cluster.name, context) else {
                throw ECSError(.serviceNotFoundException, "Service not found.")
            }
            // A service deleted already (DRAINING while its tasks stop, then INACTIVE) is
            // answered as it is, as ECS answers a repeated DeleteService.
            guard record.status == .active else {
                return (try ServiceRendering.render(db, record, withTags: false, context: context), false)
            }
            if record.desiredCount > 0, record.schedulingStrategy == "REPLICA", request.force != true {
                throw ECSError(.invalidParameterException, "The service cannot be stopped while it is scaled above 0.")
            }
            record.desiredCount = 0
            record.status = .draining
            record.updatedAt = now
            record.version += 1
            try record.update(db)
            try Self.syncPrimaryDesiredCount(db, service: record, now: now)
            try ServiceDeploymentHistory.serviceDeleted(db, serviceArn: record.arn, now: now)
            return (try ServiceRendering.render(db, record, withTags: false, context: context), true)
        }
        if changed { serviceObserver?.serviceChanged(arn: service.serviceArn) }
        return ServiceResponse(service: service)
    }

    /// The revision a service may run: ACTIVE (a service keeps running an INACTIVE one it
    /// already has, but is not created or updated onto one).
    static func usableTaskDefinition(_ db: Database, _ reference: TaskDefinitionReference) throws -> TaskDefinitionRecord {
        guard let definition = try reference.resolve(db) else {
            throw ECSError(.clientException, "TaskDefinition not found.")
        }
        guard definition.status == .active else {
            throw ECSError(.clientException, "TaskDefinition is inactive")
        }
        return definition
    }

    /// The service's tasks as a launch would run them: the revision checked against the launch
    /// type, network configuration and load balancers exactly as RunTask checks a request, so a
    /// service is never created or updated onto settings none of its tasks could start with.
    func checkServiceLaunch(_ definition: TaskDefinitionRecord, launchType: ECSLaunchType, platformVersion: String?,
                            network: TaskNetworkConfiguration?, loadBalancers: [TaskLoadBalancer]) throws(ECSError) {
        try ServiceValidation.loadBalancers(loadBalancers, definition: definition.rendered, catalog: targetGroups)
        _ = try TaskBlueprint(definition: definition, request: TaskLaunchRequest(
            taskDefinition: definition.arn, placement: .scheduler(count: 1, strategies: [], constraints: []),
            launchType: launchType, platformVersion: platformVersion, networkConfiguration: network, loadBalancers: loadBalancers))
    }

    /// The launch type and capacity provider a service's tasks run with.
    static func launchSettings(_ service: ServiceRecord, _ document: ServiceDocument) throws(ECSError)
        -> (launchType: ECSLaunchType, capacityProvider: String?) {
        let resolved = try TaskValidation.launchType(service.launchType?.rawValue, capacityProviders: document.capacityProviderStrategy)
        return (resolved.0, resolved.capacityProvider)
    }

    /// Makes a new PRIMARY deployment of the service's current task definition and settings
    /// (what its tasks are launched with); the previous primary becomes ACTIVE (it is drained by
    /// the controller). Its service revision and service deployment are recorded with it
    /// (``ServiceDeploymentHistory``); `rollback`: a rollback, which belongs to the service
    /// deployment it rolls back.
    static func startDeployment(_ db: Database, service: ServiceRecord, document: ServiceDocument, now: Double,
                                reason: String? = nil, rollback: ServiceDeploymentHistory.RollbackCause? = nil) throws {
        let (launchType, capacityProvider) = try launchSettings(service, document)
        try DeploymentRecord
            .filter(Column("serviceArn") == service.arn && Column("status") == ECSDeploymentStatus.primary.rawValue)
            .updateAll(db, Column("status").set(to: ECSDeploymentStatus.active.rawValue), Column("updatedAt").set(to: now))
        let id = DeploymentID.random()
        let settings = DeploymentDocument(
            launchType: launchType.rawValue, capacityProviderName: capacityProvider,
            capacityProviderStrategy: document.capacityProviderStrategy, platformVersion: document.platformVersion,
            networkConfiguration: document.networkConfiguration, loadBalancers: document.loadBalancers)
        let deployment = DeploymentRecord(
            id: id, serviceArn: service.arn, status: .primary, taskDefinitionArn: service.taskDefinitionArn,
            desiredCount: service.desiredCount, rolloutState: .inProgress,
            rolloutStateReason: reason ?? "ECS deployment \(id) in progress.", createdAt: now, updatedAt: now,
            document: settings.encoded())
        try deployment.insert(db)
        try ServiceDeploymentHistory.deploymentStarted(
            db, service: service, document: document, deployment: deployment, settings: settings,
            rollback: rollback, reason: reason, now: now)
    }

    /// Sets the PRIMARY deployment's desired count to the service's.
    static func syncPrimaryDesiredCount(_ db: Database, service: ServiceRecord, now: Double) throws {
        try DeploymentRecord
            .filter(Column("serviceArn") == service.arn && Column("status") == ECSDeploymentStatus.primary.rawValue)
            .updateAll(db, Column("desiredCount").set(to: service.desiredCount), Column("updatedAt").set(to: now))
    }
}
