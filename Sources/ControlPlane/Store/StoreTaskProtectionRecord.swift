import GRDB

/// A service task's scale-in protection (UpdateTaskProtection): until `expiresAt` the service
/// controller neither scales it in nor replaces it in a deployment. Kept apart from the task's
/// row, which the reconciler rewrites as the task moves. Removed with its task by
/// ``TaskRetention``.
struct TaskProtectionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "taskProtection"

    var taskId: String
    /// Seconds since the epoch.
    var expiresAt: Double

    /// The IDs among `taskIDs` protected at `now`.
    static func protected(_ db: Database, among taskIDs: [String], now: Double) throws -> Set<String> {
        guard !taskIDs.isEmpty else { return [] }
        let rows = try filter(taskIDs.contains(Column("taskId")) && Column("expiresAt") > now).fetchAll(db)
        return Set(rows.map(\.taskId))
    }
}
