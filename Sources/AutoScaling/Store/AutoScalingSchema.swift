import GRDB

/// Application Auto Scaling's tables, all prefixed `autoscaling_`, created by migrations whose
/// identifiers are prefixed `autoscaling-`, so they live beside the ECS store's in one
/// database.
///
/// GRDB 7.10 records every migrator's applied identifiers in the one `grdb_migrations` table
/// and `migrate` runs only the migrations it does not find there, so two migrators share a
/// database without trouble. One caveat: `DatabaseMigrator.hasBeenSuperseded` reports any
/// identifier the migrator does not know, so a store that refuses a "newer" database with it
/// (the ECS store does) must ignore identifiers of the other migrator
/// (``isOwnMigration(_:)``) or register both sets in one migrator (``registerMigrations(in:)``).
public enum AutoScalingSchema {
    /// The prefix of every migration identifier here.
    public static let migrationPrefix = "autoscaling-"
    /// Identifiers of the migrations, in the order they run: the ones ``migrator`` registers.
    public static var migrationIdentifiers: [String] { migrator.migrations }

    /// Whether `identifier` names one of this schema's migrations (present or future).
    public static func isOwnMigration(_ identifier: String) -> Bool {
        identifier.hasPrefix(migrationPrefix)
    }

    /// Adds this schema's migrations to `migrator` (for a caller that runs one migrator).
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("autoscaling-v1") { db in
            try db.execute(sql: """
                CREATE TABLE autoscaling_scalable_targets (
                    resource_id TEXT PRIMARY KEY NOT NULL,
                    arn TEXT NOT NULL UNIQUE,
                    document TEXT NOT NULL);
                CREATE TABLE autoscaling_policies (
                    arn TEXT PRIMARY KEY NOT NULL,
                    resource_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    document TEXT NOT NULL,
                    UNIQUE (resource_id, name));
                CREATE TABLE autoscaling_scheduled_actions (
                    arn TEXT PRIMARY KEY NOT NULL,
                    resource_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    document TEXT NOT NULL,
                    UNIQUE (resource_id, name));
                CREATE TABLE autoscaling_activities (
                    activity_id TEXT PRIMARY KEY NOT NULL,
                    resource_id TEXT NOT NULL,
                    start_time REAL NOT NULL,
                    document TEXT NOT NULL);
                CREATE INDEX autoscaling_activities_by_target ON autoscaling_activities (resource_id, start_time);
                CREATE TABLE autoscaling_tags (
                    resource_arn TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (resource_arn, key));
                """)
        }
    }

    /// A migrator holding only this schema's migrations.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        registerMigrations(in: &migrator)
        return migrator
    }
}
