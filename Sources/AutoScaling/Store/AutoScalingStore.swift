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
        let known = Set(migrator.migrations)
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

    /// Up to `limit` targets of `resourceIDs` (nil: all) in resource-id order, after the one
    /// whose resource id is `after`.
    func targets(_ db: Database, resourceIDs: [String]?, after: String?, limit: Int) throws -> [ScalableTargetRecord] {
        var selection = DocumentSelection()
        selection.require("resource_id", in: resourceIDs)
        if let after { selection.require("resource_id > ?", [after]) }
        return try Self.documents(
            ScalableTargetRecord.self, db, table: Self.targetsTable,
            sql: "SELECT document FROM autoscaling_scalable_targets \(selection.whereClause) ORDER BY resource_id LIMIT ?",
            arguments: selection.arguments + [limit])
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
        for table in [ScalingPolicyRecord.table, ScheduledActionRecord.table] {
            try db.execute(sql: "DELETE FROM \(table) WHERE resource_id = ?", arguments: [target.resourceID])
        }
        try db.execute(sql: "DELETE FROM autoscaling_tags WHERE resource_arn = ?", arguments: [target.arn])
    }

    func target(_ db: Database, arn: String) throws -> ScalableTargetRecord? {
        try Self.documents(ScalableTargetRecord.self, db, table: Self.targetsTable,
                           sql: "SELECT document FROM autoscaling_scalable_targets WHERE arn = ?", arguments: [arn]).first
    }

    // MARK: Policies and scheduled actions

    /// The records of one target (`resourceID`) or of all, ordered by resource id and name.
    func records<R: TargetScopedRecord>(_ type: R.Type, _ db: Database, resourceID: String?) throws -> [R] {
        try Self.documents(R.self, db, table: R.table, sql: """
            SELECT document FROM \(R.table) WHERE (? IS NULL OR resource_id = ?) ORDER BY resource_id, name
            """, arguments: [resourceID, resourceID])
    }

    /// Up to `limit` records of `resourceIDs` named one of `names` (nil: any), ordered by
    /// resource id and name, after the record whose `[resourceID, name]` is `after`.
    func records<R: TargetScopedRecord>(
        _ type: R.Type, _ db: Database, resourceIDs: [String]?, names: [String]?, after: [String]?, limit: Int
    ) throws -> [R] {
        var selection = DocumentSelection()
        selection.require("resource_id", in: resourceIDs)
        selection.require("name", in: names)
        if let after, after.count == 2 { selection.require("(resource_id, name) > (?, ?)", [after[0], after[1]]) }
        return try Self.documents(R.self, db, table: R.table, sql: """
            SELECT document FROM \(R.table) \(selection.whereClause) ORDER BY resource_id, name LIMIT ?
            """, arguments: selection.arguments + [limit])
    }

    /// The record named `name` of target `resourceID`.
    func record<R: TargetScopedRecord>(_ type: R.Type, _ db: Database, resourceID: String, name: String) throws -> R? {
        try Self.documents(R.self, db, table: R.table, sql: "SELECT document FROM \(R.table) WHERE resource_id = ? AND name = ?",
                           arguments: [resourceID, name]).first
    }

    /// How many records target `resourceID` has.
    func recordCount<R: TargetScopedRecord>(_ type: R.Type, _ db: Database, resourceID: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(R.table) WHERE resource_id = ?", arguments: [resourceID]) ?? 0
    }

    func save<R: TargetScopedRecord>(_ record: R, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO \(R.table) (arn, resource_id, name, document) VALUES (?, ?, ?, ?)",
            arguments: [record.arn, record.resourceID, record.name, try Self.encode(record, table: R.table)])
    }

    /// Deletes the record named `name` of target `resourceID`; false when there was none.
    func deleteRecord<R: TargetScopedRecord>(_ type: R.Type, resourceID: String, name: String, _ db: Database) throws -> Bool {
        try db.execute(sql: "DELETE FROM \(R.table) WHERE resource_id = ? AND name = ?", arguments: [resourceID, name])
        return db.changesCount > 0
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
        try Self.documents(ScalingActivity.self, db, table: Self.activitiesTable, sql: """
            SELECT document FROM autoscaling_activities WHERE (? IS NULL OR resource_id = ?)
            ORDER BY start_time DESC, activity_id LIMIT ?
            """, arguments: [resourceID, resourceID, limit])
    }

    /// Up to `limit` activities of `resourceIDs` (nil: all), newest first, after the one that
    /// started at `after.startTime` with id `after.activityID`.
    func activities(
        _ db: Database, resourceIDs: [String]?, after: (startTime: Double, activityID: String)?, limit: Int
    ) throws -> [ScalingActivity] {
        var selection = DocumentSelection()
        selection.require("resource_id", in: resourceIDs)
        if let after {
            selection.require("start_time < ? OR (start_time = ? AND activity_id > ?)",
                              [after.startTime, after.startTime, after.activityID])
        }
        return try Self.documents(ScalingActivity.self, db, table: Self.activitiesTable, sql: """
            SELECT document FROM autoscaling_activities \(selection.whereClause)
            ORDER BY start_time DESC, activity_id LIMIT ?
            """, arguments: selection.arguments + [limit])
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
