import GRDB

/// The `include` values of DescribeClusters (`ClusterField`).
enum ClusterField: String, CaseIterable {
    case attachments = "ATTACHMENTS"
    case configurations = "CONFIGURATIONS"
    case settings = "SETTINGS"
    case statistics = "STATISTICS"
    case tags = "TAGS"
}

/// Turns a cluster row into ECS's `Cluster`, with the counts computed from the store.
enum ClusterRendering {
    /// Which members a response carries.
    enum View {
        /// What CreateCluster, UpdateCluster, UpdateClusterSettings and DeleteCluster return:
        /// settings, tags, configuration, and the capacity providers when there are any.
        case mutation
        /// What DescribeClusters returns: the base members, plus what `include` asks for.
        case describe(Set<ClusterField>)
    }

    static func render(_ record: ClusterRecord, _ db: Database, _ view: View) throws -> ECSCluster {
        let counts = try ClusterCounts.fetch(db, clusterName: record.name)
        var cluster = ECSCluster()
        cluster.clusterArn = record.arn
        cluster.clusterName = record.name
        cluster.status = record.status.rawValue
        cluster.registeredContainerInstancesCount = counts.registeredContainerInstances
        cluster.runningTasksCount = counts.runningTasks
        cluster.pendingTasksCount = counts.pendingTasks
        cluster.activeServicesCount = counts.activeServices
        cluster.serviceConnectDefaults = record.serviceConnectDefaults
        switch view {
        case .mutation:
            cluster.statistics = []
            cluster.tags = try TagRecord.tags(db, resourceArn: record.arn)
            cluster.settings = record.settings
            cluster.configuration = record.configuration
            if !record.capacityProviders.isEmpty { cluster.capacityProviders = record.capacityProviders }
            if !record.defaultCapacityProviderStrategy.isEmpty {
                cluster.defaultCapacityProviderStrategy = record.defaultCapacityProviderStrategy
            }
        case .describe(let include):
            cluster.statistics = include.contains(.statistics) ? counts.statistics : []
            cluster.tags = include.contains(.tags) ? try TagRecord.tags(db, resourceArn: record.arn) : []
            cluster.capacityProviders = record.capacityProviders
            cluster.defaultCapacityProviderStrategy = record.defaultCapacityProviderStrategy
            if include.contains(.settings) { cluster.settings = record.settings }
            if include.contains(.configurations) { cluster.configuration = record.configuration }
            // Wharf's clusters have no capacity provider plans to attach.
            if include.contains(.attachments) { cluster.attachments = [] }
        }
        return cluster
    }
}
