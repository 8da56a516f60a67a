import Foundation
import GRDB
import Testing
@testable import AutoScaling

/// The autoscaling migrator beside another migrator on one database file, as the control
/// plane's ECS store and this store share one DatabasePool.
@Suite("Schema beside another migrator")
struct SchemaCoexistenceTests {
    static func temporaryPath() -> String {
        NSTemporaryDirectory() + "wharf-autoscaling-\(UUID().uuidString).sqlite"
    }

    static func otherMigrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ecs-resources") { db in
            try db.execute(sql: "CREATE TABLE clusters (name TEXT PRIMARY KEY)")
        }
        return migrator
    }

    @Test("Both migrators apply, in either order, and reopening applies nothing twice")
    func coexist() throws {
        let path = Self.temporaryPath()
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        do {
            let pool = try DatabasePool(path: path)
            _ = try AutoScalingStore(writer: pool)
            try Self.otherMigrator().migrate(pool)
            try pool.write { db in try db.execute(sql: "INSERT INTO clusters (name) VALUES ('default')") }
        }
        let pool = try DatabasePool(path: path)
        try Self.otherMigrator().migrate(pool)
        let store = try AutoScalingStore(writer: pool)
        let applied = try pool.read { db in try Self.otherMigrator().appliedIdentifiers(db) }
        #expect(applied == ["v1-ecs-resources", "autoscaling-v1"])
        #expect(try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM clusters") } == 1)
        #expect(try store.activities().isEmpty)
        // What the ECS store must allow for: GRDB counts the other migrator's identifiers as unknown.
        #expect(try pool.read { db in try Self.otherMigrator().hasBeenSuperseded(db) })
        #expect(try pool.read { db in try Self.otherMigrator().appliedIdentifiers(db) }
            .filter { !AutoScalingSchema.isOwnMigration($0) } == ["v1-ecs-resources"])
    }

    @Test("A database with autoscaling migrations this version does not know is refused")
    func superseded() throws {
        let queue = try DatabaseQueue()
        _ = try AutoScalingStore(writer: queue)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('autoscaling-v99')") }
        #expect {
            _ = try AutoScalingStore(writer: queue)
        } throws: { error in
            guard case AutoScalingStoreError.superseded(let identifiers) = error else { return false }
            return identifiers == ["autoscaling-v99"]
        }
    }
}
