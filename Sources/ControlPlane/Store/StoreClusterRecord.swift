import Foundation
import GRDB

/// A cluster row. Clusters are never deleted: DeleteCluster sets `status` to `INACTIVE`, and
/// CreateCluster with the same name makes the row `ACTIVE` again (same ARN, as ECS does).
public struct ClusterRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cluster"

    public var name: String
    public var arn: String
    public var status: ECSClusterStatus
    public var settings: [ECSClusterSetting]
    public var configuration: ECSClusterConfiguration?
    public var capacityProviders: [String]
    public var defaultCapacityProviderStrategy: [ECSCapacityProviderStrategyItem]
    public var serviceConnectDefaults: ECSClusterServiceConnectDefaults?
    /// Seconds since the epoch.
    public var createdAt: Double
    public var updatedAt: Double

    public init(
        name: String, arn: String, status: ECSClusterStatus = .active, settings: [ECSClusterSetting] = [],
        configuration: ECSClusterConfiguration? = nil, capacityProviders: [String] = [],
        defaultCapacityProviderStrategy: [ECSCapacityProviderStrategyItem] = [],
        serviceConnectDefaults: ECSClusterServiceConnectDefaults? = nil, createdAt: Double, updatedAt: Double
    ) {
        self.name = name
        self.arn = arn
        self.status = status
        self.settings = settings
        self.configuration = configuration
        self.capacityProviders = capacityProviders
        self.defaultCapacityProviderStrategy = defaultCapacityProviderStrategy
        self.serviceConnectDefaults = serviceConnectDefaults
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// A default capacity provider strategy as a cluster keeps it: every item with its weight and
    /// base (0 when the request left them out), as DescribeClusters shows them.
    static func stored(_ strategy: [ECSCapacityProviderStrategyItem]) -> [ECSCapacityProviderStrategyItem] {
        strategy.map { ECSCapacityProviderStrategyItem(capacityProvider: $0.capacityProvider, weight: $0.weight ?? 0, base: $0.base ?? 0) }
    }

    /// The cluster named `name`, whatever its status.
    public static func find(_ db: Database, name: String) throws -> ClusterRecord? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM cluster WHERE name = ?"), arguments: [name])
    }

    /// Its capacity providers and default strategy.
    var capacity: ClusterCapacity {
        ClusterCapacity(providers: capacityProviders, defaultStrategy: defaultCapacityProviderStrategy)
    }

    /// The capacity providers and default strategy of the cluster named `name`, read from their
    /// two columns alone (a RunTask without a launch type needs no more of the cluster), and
    /// decoded only when not empty; nil if there is no such cluster.
    static func capacity(_ db: Database, name: String) throws -> ClusterCapacity? {
        let sql = "SELECT capacityProviders, defaultCapacityProviderStrategy FROM cluster WHERE name = ?"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [name]) else { return nil }
        func decoded<T: Decodable>(_ text: String, as type: [T].Type) throws -> [T] {
            text == "[]" ? [] : try JSONDecoder().decode(type, from: Data(text.utf8))
        }
        return ClusterCapacity(providers: try decoded(row[0], as: [String].self),
                               defaultStrategy: try decoded(row[1], as: [ECSCapacityProviderStrategyItem].self))
    }

    /// The status of the cluster named `name`; nil if there is none. Reads one column through a
    /// statement compiled once per connection: the task APIs only check the cluster, and
    /// decoding its JSON columns on every call cost more than the query.
    static func status(_ db: Database, name: String) throws -> ECSClusterStatus? {
        try ECSClusterStatus.fetchOne(db.cachedStatement(sql: "SELECT status FROM cluster WHERE name = ?"), arguments: [name])
    }
}

/// A cluster's capacity providers and default capacity provider strategy.
struct ClusterCapacity: Sendable, Equatable {
    var providers: [String]
    var defaultStrategy: [ECSCapacityProviderStrategyItem]
}
