import GRDB

/// One tag of one resource, keyed by the resource's ARN. `position` keeps tags in the order they
/// were first set, which is the order ListTagsForResource returns them in.
public struct TagRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "tag"

    public var resourceArn: String
    public var key: String
    public var value: String
    public var position: Int

    public init(resourceArn: String, key: String, value: String, position: Int) {
        self.resourceArn = resourceArn
        self.key = key
        self.value = value
        self.position = position
    }

    /// The tags of `resourceArn` in the order they were set.
    public static func tags(_ db: Database, resourceArn: String) throws -> [ECSTag] {
        try filter(Column("resourceArn") == resourceArn)
            .order(Column("position"))
            .fetchAll(db)
            .map { ECSTag(key: $0.key, value: $0.value) }
    }

    /// Sets `tags` on `resourceArn`: existing keys get the new value in place, new keys are
    /// appended. Keys and values must already be validated.
    public static func merge(_ db: Database, resourceArn: String, tags: [ECSTag]) throws {
        var next = try Int.fetchOne(db, sql: "SELECT MAX(position) FROM tag WHERE resourceArn = ?",
                                    arguments: [resourceArn]).map { $0 + 1 } ?? 0
        for tag in tags {
            guard let key = tag.key else { continue }
            let value = tag.value ?? ""
            if var existing = try fetchOne(db, key: ["resourceArn": resourceArn, "key": key]) {
                existing.value = value
                try existing.update(db)
            } else {
                try TagRecord(resourceArn: resourceArn, key: key, value: value, position: next).insert(db)
                next += 1
            }
        }
    }

    /// Removes the tags with the given keys from `resourceArn` (absent keys are ignored).
    public static func remove(_ db: Database, resourceArn: String, keys: [String]) throws {
        try filter(Column("resourceArn") == resourceArn && keys.contains(Column("key"))).deleteAll(db)
    }

    /// Removes every tag of `resourceArn` (the resource was deleted).
    public static func removeAll(_ db: Database, resourceArn: String) throws {
        try filter(Column("resourceArn") == resourceArn).deleteAll(db)
    }

    /// How many tags `resourceArn` has.
    /// How many tags of `resourceArn` count against the per-resource limit: every one but ECS's
    /// own (`aws:` keys, such as the managed tags), which count against none.
    public static func countAgainstLimit(_ db: Database, resourceArn: String) throws -> Int {
        try filter(Column("resourceArn") == resourceArn && !Column("key").like(TagValidation.reservedPrefix + "%"))
            .fetchCount(db)
    }
}
