import GRDB

/// The secrets file's one table: a row per secret, its whole record a JSON document beside the
/// columns lookups use (`name`, `arn`, and `deletion_date` to purge secrets whose recovery
/// window is over).
enum SecretsSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("secretsmanager-v1") { db in
            try db.execute(sql: """
                CREATE TABLE secretsmanager_secrets (
                    name TEXT PRIMARY KEY NOT NULL,
                    arn TEXT NOT NULL UNIQUE,
                    deletion_date REAL,
                    document TEXT NOT NULL);
                """)
        }
        return migrator
    }
}
