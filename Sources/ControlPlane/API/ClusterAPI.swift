import GRDB

/// CreateCluster, UpdateCluster, UpdateClusterSettings, PutClusterCapacityProviders, DeleteCluster.
extension ECSAPI {
    /// CreateCluster. Idempotent on the name, as ECS is: an ACTIVE cluster of that name is
    /// returned unchanged; an INACTIVE (deleted) one is created again under the same ARN with the
    /// new request's members.
    func createCluster(_ request: CreateClusterRequest, _ context: ECSRequestContext) throws(ECSError) -> ClusterResponse {
        let name = request.clusterName ?? ClusterReference.defaultName
        try ClusterValidation.name(name)
        let settings = try ClusterValidation.settings(request.settings ?? [])
        try ClusterValidation.configuration(request.configuration)
        let providers = request.capacityProviders ?? []
        let strategy = request.defaultCapacityProviderStrategy ?? []
        try ClusterValidation.capacityProviders(providers, strategy: strategy)
        try ClusterValidation.serviceConnectDefaults(request.serviceConnectDefaults)
        let tags = try TagValidation.validate(request.tags ?? [])

        let now = context.timestamp
        let fresh = ClusterRecord(
            name: name, arn: context.arn(.cluster(name: name)).description, status: .active,
            settings: settings,
            configuration: request.configuration, capacityProviders: providers,
            defaultCapacityProviderStrategy: ClusterRecord.stored(strategy),
            serviceConnectDefaults: request.serviceConnectDefaults, createdAt: now, updatedAt: now)

        return try transaction { db in
            let existing = try ClusterRecord.find(db, name: name)
            if let existing, existing.status == .active {
                return ClusterResponse(cluster: try ClusterRendering.render(existing, db, .mutation))
            }
            var fresh = fresh
            if settings.isEmpty {
                // No containerInsights asked for: the creator's account setting decides, as on ECS.
                let insights = try Self.effectiveSetting(
                    db, name: ECSClusterSetting.containerInsightsName, principal: context.principalARN, context)
                fresh.settings = [ECSClusterSetting(name: ECSClusterSetting.containerInsightsName, value: insights.value)]
            }
            if let existing {
                var revived = fresh
                revived.arn = existing.arn
                try revived.update(db)
                try TagRecord.removeAll(db, resourceArn: revived.arn)
                try TagRecord.merge(db, resourceArn: revived.arn, tags: tags)
                return ClusterResponse(cluster: try ClusterRendering.render(revived, db, .mutation))
            }
            try fresh.insert(db)
            try TagRecord.merge(db, resourceArn: fresh.arn, tags: tags)
            return ClusterResponse(cluster: try ClusterRendering.render(fresh, db, .mutation))
        }
    }

    /// UpdateCluster: replaces the members given (settings merge by name, as ECS's single
    /// setting makes replace and merge the same).
    func updateCluster(_ request: UpdateClusterRequest, _ context: ECSRequestContext) throws(ECSError) -> ClusterResponse {
        let reference = try RequestValidation.required(request.cluster, "cluster")
        let settings = try ClusterValidation.settings(request.settings ?? [])
        try ClusterValidation.configuration(request.configuration)
        try ClusterValidation.serviceConnectDefaults(request.serviceConnectDefaults)
        let now = context.timestamp
        return try transaction { db in
            var record = try ClusterReference.active(db, reference, context)
            Self.merge(settings, into: &record.settings)
            if let configuration = request.configuration { record.configuration = configuration }
            if let defaults = request.serviceConnectDefaults { record.serviceConnectDefaults = defaults }
            record.updatedAt = now
            try record.update(db)
            return ClusterResponse(cluster: try ClusterRendering.render(record, db, .mutation))
        }
    }

    /// UpdateClusterSettings: `settings` is required.
    func updateClusterSettings(_ request: UpdateClusterSettingsRequest, _ context: ECSRequestContext) throws(ECSError) -> ClusterResponse {
        let reference = try RequestValidation.required(request.cluster, "cluster")
        let settings = try ClusterValidation.settings(RequestValidation.required(request.settings, "settings"))
        let now = context.timestamp
        return try transaction { db in
            var record = try ClusterReference.active(db, reference, context)
            Self.merge(settings, into: &record.settings)
            record.updatedAt = now
            try record.update(db)
            return ClusterResponse(cluster: try ClusterRendering.render(record, db, .mutation))
        }
    }

    /// PutClusterCapacityProviders: the cluster's capacity providers and default strategy, both
    /// required and both replaced whole (empty lists clear them). A provider that an ACTIVE or
    /// DRAINING service of the cluster names in its strategy, or that a task of the cluster not
    /// yet STOPPED runs on, cannot be removed (ResourceInUseException, as ECS).
    func putClusterCapacityProviders(_ request: PutClusterCapacityProvidersRequest, _ context: ECSRequestContext)
        throws(ECSError) -> ClusterResponse
    {
        let reference = try RequestValidation.required(request.cluster, "cluster")
        guard let providers = request.capacityProviders else { throw .missing("capacityProviders") }
        guard let strategy = request.defaultCapacityProviderStrategy else { throw .missing("defaultCapacityProviderStrategy") }
        try ClusterValidation.capacityProviders(providers, strategy: strategy)
        let now = context.timestamp
        return try transaction { db in
            var record = try ClusterReference.active(db, reference, context)
            let removed = Set(record.capacityProviders).subtracting(providers)
            if !removed.isEmpty {
                let live = try ServiceRecord
                    .filter(Column("clusterName") == record.name && Column("status") != ECSServiceStatus.inactive)
                    .fetchAll(db)
                for service in live {
                    let named = (ServiceDocument.decode(service.document).capacityProviderStrategy ?? []).compactMap(\.capacityProvider)
                    if let used = named.first(where: removed.contains) {
                        throw ECSError(.resourceInUseException,
                                       "The specified capacity provider is in use and cannot be removed: \(used) (service \(service.name)).")
                    }
                }
                // "Only ... if it's not being used by any existing tasks": standalone ones too.
                let tasks = try TaskRecord
                    .filter(Column("clusterName") == record.name && Column("lastStatus") != ECSTaskStatus.stopped.rawValue)
                    .fetchAll(db)
                for task in tasks {
                    if let used = task.decodedDocument.capacityProviderName, removed.contains(used) {
                        throw ECSError(.resourceInUseException,
                                       "The specified capacity provider is in use and cannot be removed: \(used) (task \(task.id)).")
                    }
                }
            }
            record.capacityProviders = providers
            record.defaultCapacityProviderStrategy = ClusterRecord.stored(strategy)
            record.updatedAt = now
            try record.update(db)
            return ClusterResponse(cluster: try ClusterRendering.render(record, db, .mutation))
        }
    }

    /// DeleteCluster: refused while the cluster has registered container instances, services
    /// that are not INACTIVE, or tasks that are not STOPPED (checked in that order). The cluster
    /// becomes INACTIVE, stays describable, and loses its tags (ECS deletes the tags of a
    /// deleted resource).
    func deleteCluster(_ request: DeleteClusterRequest, _ context: ECSRequestContext) throws(ECSError) -> ClusterResponse {
        let reference = try RequestValidation.required(request.cluster, "cluster")
        let now = context.timestamp
        return try transaction { db in
            var record = try ClusterReference.active(db, reference, context)
            let counts = try ClusterCounts.fetch(db, clusterName: record.name)
            if counts.containerInstancesNotInactive > 0 {
                throw ECSError(.clusterContainsContainerInstancesException,
                               "The Cluster cannot be deleted while Container Instances are active or draining.")
            }
            if counts.activeServices + counts.drainingServices > 0 {
                throw ECSError(.clusterContainsServicesException, "The Cluster cannot be deleted while Services are active.")
            }
            if counts.activeTasks > 0 {
                throw ECSError(.clusterContainsTasksException, "The Cluster cannot be deleted while Tasks are active.")
            }
            record.status = .inactive
            record.updatedAt = now
            try record.update(db)
            try TagRecord.removeAll(db, resourceArn: record.arn)
            return ClusterResponse(cluster: try ClusterRendering.render(record, db, .mutation))
        }
    }

    /// Sets each of `updates` in `settings`, replacing a setting of the same name.
    private static func merge(_ updates: [ECSClusterSetting], into settings: inout [ECSClusterSetting]) {
        for update in updates {
            if let index = settings.firstIndex(where: { $0.name == update.name }) {
                settings[index] = update
            } else {
                settings.append(update)
            }
        }
    }
}
