import GRDB

/// How long stopped tasks stay visible, and their removal afterwards.
///
/// ECS: "stopped tasks appear in the returned results for at least one hour." DescribeTasks and
/// ListTasks (desiredStatus STOPPED) show them that long; then the reconciler removes the rows
/// (and their tags) and has the host forget them.
public enum TaskRetention {
    /// Seconds a stopped task stays visible.
    public static let stoppedTaskVisibility = 3600.0

    /// Removes the task rows that stopped more than ``stoppedTaskVisibility`` seconds before
    /// `now`, with their tags, and the RunTask client tokens past their lifetime. Returns the
    /// removed task rows.
    @discardableResult
    public static func purge(_ db: Database, now: Double) throws -> [TaskRecord] {
        try RunTaskClientTokenRecord.purgeExpired(db, now: now)
        let expired = try TaskRecord
            .filter(Column("lastStatus") == ECSTaskStatus.stopped && Column("stoppedAt") < now - stoppedTaskVisibility)
            .fetchAll(db)
        for task in expired {
            _ = try task.delete(db)
            try TagRecord.removeAll(db, resourceArn: task.arn)
            _ = try TaskProtectionRecord.deleteOne(db, key: task.id)
        }
        return expired
    }
}
