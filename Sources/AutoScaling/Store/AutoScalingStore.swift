import Foundation
import GRDB

/// Application Auto Scaling's durable state in the control plane's SQLite database: scalable
/// targets, policies, scheduled actions, activities and tags, each row a JSON document beside
/// the columns queries use.
///
/// `init(writer:)` runs this schema's own migrator (``AutoScalingSchema``) on the writer the
/// control plane shares. Every method is one transaction; they block the calling thread.
public final class AutoScalingStore: Sendable {
    /// The most activities kept per scalable target; older ones are deleted as new ones come.
    public static let maximumActivitiesPerTarget = 1000

    private let writer: any DatabaseWriter

    /// Migrates `writer`'s database to this schema and keeps the writer.
    public init(writer: any DatabaseWriter) throws(AutoScalingStoreError) {
        self.writer = writer
        let migrator = AutoScalingSchema.migrator
        let known = Set(AutoScalingSchema.migrationIdentifiers)
        let unknown: [String]
        do {
            unknown = try writer.read { db in try migrator.appliedIdentifiers(db) }
                .filter { AutoScalingSchema.isOwnMigration($0) && !known.contains($0) }.sorted()
        } catch {
            throw .migrate(reason: "\(error)")
        }
        guard unknown.isEmpty else { throw .superseded(unknown) }
        do {
            try migrator.migrate(writer)
        } catch {
            throw .migrate(reason: "\(error)")
        }
    }

    /// A store on a private in-memory database, migrated (for tests and tools).
    public static func inMemory() throws(AutoScalingStoreError) -> AutoScalingStore {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue()
        } catch {
            throw .migrate(reason: "\(error)")
        }
        return try AutoScalingStore(writer: queue)
    }

    // MARK: Transactions

    /// One read transaction. An error thrown inside comes out as is; SQLite's as
    /// ``AutoScalingStoreError/read(reason:)``.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw AutoScalingStoreError.read(reason: "\(error)")
        }
    }

    /// One write transaction: commits if `updates` returns, rolls back if it throws. An error
    /// thrown inside comes out as is; SQLite's as ``AutoScalingStoreError/write(reason:busy:)``.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(updates)
        } catch let error as DatabaseError {
            throw AutoScalingStoreError.write(reason: "\(error)", busy: error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED)
        }
    }

    // MARK: Documents

    static func encode<T: Encodable>(_ value: T, table: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw AutoScalingStoreError.document(table: table, reason: "\(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, table: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw AutoScalingStoreError.document(table: table, reason: "\(error)")
        }
    }

    static func documents<T: Decodable>(_ type: T.Type, _ db: Database, table: String, sql: String, arguments: StatementArguments = [])
        throws -> [T]
    {
        try String.fetchAll(db, sql: sql, arguments: arguments).map { try decode(type, $0, table: table) }
    }

    // MARK: Scalable targets

    static let targetsTable = "autoscaling_scalable_targets"

    func target(_ db: Database, resourceID: String) throws -> ScalableTargetRecord? {
        try Self.documents(ScalableTargetRecord.self, db, table: Self.targetsTable,
                           sql: "SELECT document FROM autoscaling_scalable_targets WHERE resource_id = ?", arguments: [resourceID]).first
    }

    func targets(_ db: Database) throws -> [ScalableTargetRecord] {
        try Self.documents(ScalableTargetRecord.self, db, table: Self.targetsTable,
                           sql: "SELECT document FROM autoscaling_scalable_targets ORDER BY resource_id")
    }

    func targetCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM autoscaling_scalable_targets") ?? 0
    }

    func save(_ target: ScalableTargetRecord, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO autoscaling_scalable_targets (resource_id, arn, document) VALUES (?, ?, ?)",
            arguments: [target.resourceID, target.arn, try Self.encode(target, table: Self.targetsTable)])
    }

    /// Deletes the target with its policies, scheduled actions and tags (as AWS does on
    /// DeregisterScalableTarget); its activities stay.
    func deleteTarget(_ target: ScalableTargetRecord, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM autoscaling_scalable_targets WHERE resource_id = ?", arguments: [target.resourceID])
        try db.execute(sql: "DELETE FROM autoscaling_policies WHERE resource_id = ?", arguments: [target.resourceID])
        try db.execute(sql: "DELETE FROM autoscaling_scheduled_actions WHERE resource_id = ?", arguments: [target.resourceID])
        try db.execute(sql: "DELETE FROM autoscaling_tags WHERE resource_arn = ?", arguments: [target.arn])
    }

    func target(_ db: Database, arn: String) throws -> ScalableTargetRecord? {
        try Self.documents(ScalableTargetRecord.self, db, table: Self.targetsTable,
                           sql: "SELECT document FROM autoscaling_scalable_targets WHERE arn = ?", arguments: [arn]).first
    }

    // MARK: Policies

    static let policiesTable = "autoscaling_policies"

    func policies(_ db: Database, resourceID: String? = nil) throws -> [ScalingPolicyRecord] {
        if let resourceID {
            return try Self.documents(ScalingPolicyRecord.self, db, table: Self.policiesTable,
                                      sql: "SELECT document FROM autoscaling_policies WHERE resource_id = ? ORDER BY name",
                                      arguments: [resourceID])
        }
        return try Self.documents(ScalingPolicyRecord.self, db, table: Self.policiesTable,
                                  sql: "SELECT document FROM autoscaling_policies ORDER BY resource_id, name")
    }

    func save(_ policy: ScalingPolicyRecord, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO autoscaling_policies (arn, resource_id, name, document) VALUES (?, ?, ?, ?)",
            arguments: [policy.arn, policy.resourceID, policy.name, try Self.encode(policy, table: Self.policiesTable)])
    }

    func deletePolicy(arn: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM autoscaling_policies WHERE arn = ?", arguments: [arn])
    }

    // MARK: Scheduled actions

    static let actionsTable = "autoscaling_scheduled_actions"

    func scheduledActions(_ db: Database, resourceID: String? = nil) throws -> [ScheduledActionRecord] {
        if let resourceID {
            return try Self.documents(ScheduledActionRecord.self, db, table: Self.actionsTable,
                                      sql: "SELECT document FROM autoscaling_scheduled_actions WHERE resource_id = ? ORDER BY name",
                                      arguments: [resourceID])
        }
        return try Self.documents(ScheduledActionRecord.self, db, table: Self.actionsTable,
                                  sql: "SELECT document FROM autoscaling_scheduled_actions ORDER BY resource_id, name")
    }

    func save(_ action: ScheduledActionRecord, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO autoscaling_scheduled_actions (arn, resource_id, name, document) VALUES (?, ?, ?, ?)",
            arguments: [action.arn, action.resourceID, action.name, try Self.encode(action, table: Self.actionsTable)])
    }

    func deleteScheduledAction(arn: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM autoscaling_scheduled_actions WHERE arn = ?", arguments: [arn])
    }

    // MARK: Activities

    static let activitiesTable = "autoscaling_activities"

    /// Activities newest first, of one target or all.
    public func activities(resourceID: String? = nil, limit: Int = maximumActivitiesPerTarget)
        throws(AutoScalingStoreError) -> [ScalingActivity]
    {
        do {
            return try read { db in try activities(db, resourceID: resourceID, limit: limit) }
        } catch let error as AutoScalingStoreError {
            throw error
        } catch {
            throw .read(reason: "\(error)")
        }
    }

    func activities(_ db: Database, resourceID: String?, limit: Int) throws -> [ScalingActivity] {
        if let resourceID {
            return try Self.documents(ScalingActivity.self, db, table: Self.activitiesTable, sql: """
                SELECT document FROM autoscaling_activities WHERE resource_id = ?
                ORDER BY start_time DESC, activity_id LIMIT ?
                """, arguments: [resourceID, limit])
        }
        return try Self.documents(ScalingActivity.self, db, table: Self.activitiesTable, sql: """
            SELECT document FROM autoscaling_activities ORDER BY start_time DESC, activity_id LIMIT ?
            """, arguments: [limit])
    }

    /// Inserts or replaces `activity`, dropping the target's oldest beyond the limit.
    func save(_ activity: ScalingActivity) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO autoscaling_activities (activity_id, resource_id, start_time, document) VALUES (?, ?, ?, ?)",
                arguments: [activity.activityID, activity.resourceID, activity.startTime,
                            try Self.encode(activity, table: Self.activitiesTable)])
            try db.execute(sql: """
                DELETE FROM autoscaling_activities WHERE resource_id = ? AND activity_id NOT IN (
                    SELECT activity_id FROM autoscaling_activities WHERE resource_id = ?
                    ORDER BY start_time DESC, activity_id LIMIT ?)
                """, arguments: [activity.resourceID, activity.resourceID, Self.maximumActivitiesPerTarget])
        }
    }

    // MARK: Tags

    func tags(_ db: Database, arn: String) throws -> [String: String] {
        let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM autoscaling_tags WHERE resource_arn = ?", arguments: [arn])
        var tags: [String: String] = [:]
        for row in rows {
            let key: String = row["key"]
            tags[key] = row["value"]
        }
        return tags
    }

    func setTag(arn: String, key: String, value: String, _ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO autoscaling_tags (resource_arn, key, value) VALUES (?, ?, ?)",
                       arguments: [arn, key, value])
    }

    func removeTag(arn: String, key: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM autoscaling_tags WHERE resource_arn = ? AND key = ?", arguments: [arn, key])
    }
}
