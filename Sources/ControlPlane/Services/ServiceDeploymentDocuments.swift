import Foundation

/// What a ``ServiceRevisionRecord``'s `document` holds: the settings the revision's tasks run
/// with.
struct ServiceRevisionDocument: StoredDocument, Sendable, Equatable {
    var taskDefinition = ""
    var launchType: String?
    var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    var platformVersion: String?
    var loadBalancers: [TaskLoadBalancer] = []
    var serviceRegistries: [ServiceRegistry] = []
    var networkConfiguration: TaskNetworkConfiguration?
    var containerImages: [ECSContainerImage] = []
}

/// What a ``ServiceDeploymentRecord``'s `document` holds.
struct ServiceDeploymentDocument: StoredDocument, Sendable, Equatable {
    /// A revision's task counts, frozen when the service deployment ends.
    struct Counts: Codable, Sendable, Equatable {
        var requested = 0
        var running = 0
        var pending = 0

        init(requested: Int = 0, running: Int = 0, pending: Int = 0) {
            self.requested = requested
            self.running = running
            self.pending = pending
        }

        /// A live ECS deployment's: its desired count and its tasks among the service's `tasks`.
        init(_ deployment: DeploymentRecord, tasks: ServiceRendering.Counts) {
            let own = tasks.byDeployment[deployment.id] ?? (0, 0)
            self.init(requested: deployment.desiredCount, running: own.running, pending: own.pending)
        }
    }

    /// Where a failed service deployment rolled back to.
    struct Rollback: Codable, Sendable, Equatable {
        var reason = ""
        var startedAt = 0.0
        var revisionId = ""
    }

    var startedAt: Double?
    var finishedAt: Double?
    var stoppedAt: Double?
    var statusReason: String?
    /// The revisions the service ran when the deployment started.
    var sourceRevisionIds: [String] = []
    var deploymentConfiguration: DeploymentConfiguration?
    var rollback: Rollback?
    var circuitBreakerTriggered = false
    /// Each revision's counts at the end (nil while the deployment goes on: counted live).
    var finalCounts: [String: Counts]?
    /// The circuit breaker's failure count and threshold at the end (nil while it goes on).
    var finalFailureCount: Int?
    var finalThreshold: Int?
}
