import GRDB

/// One attribute on a target (a container instance). `source` tells the agent's attributes
/// (sent with RegisterContainerInstance) from custom ones (PutAttributes): ECS limits only the
/// custom ones, to ``customLimit`` per resource.
public struct AttributeRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "attribute"

    /// Where an attribute came from.
    public enum Source: String, Codable, Sendable, DatabaseValueConvertible {
        /// Reported by the agent at registration.
        case agent
        /// Set with PutAttributes.
        case custom
    }

    /// ECS: "You can apply up to 10 custom attributes for each resource."
    public static let customLimit = 10

    public var clusterName: String
    /// `container-instance`.
    public var targetType: String
    /// The container instance ID (not the ARN).
    public var targetId: String
    public var name: String
    public var value: String?
    public var source: Source

    public init(clusterName: String, targetType: String = ECSAttribute.containerInstanceTargetType,
                targetId: String, name: String, value: String?, source: Source) {
        self.clusterName = clusterName
        self.targetType = targetType
        self.targetId = targetId
        self.name = name
        self.value = value
        self.source = source
    }

    /// Every attribute of the container instance `id`, by name.
    public static func forContainerInstance(_ db: Database, id: String) throws -> [AttributeRecord] {
        try filter(Column("targetType") == ECSAttribute.containerInstanceTargetType && Column("targetId") == id)
            .order(Column("name"))
            .fetchAll(db)
    }
}
