import AutoScaling
import Foundation
import GRDB

/// The control plane's durable state: one SQLite database (GRDB) holding clusters, task
/// definitions, tasks, services, deployments, service events, container instances, attributes
/// and tags.
///
/// ## Opening
/// `ECSStore(path:)` opens (or creates) a database file in WAL mode through a `DatabasePool`
/// (concurrent readers, one writer); ``inMemory()`` gives a private in-memory database for tests.
/// Both run the schema migrations (``StoreSchema``) before returning.
///
/// ## Transactions
/// ``write(_:)`` runs its closure in one IMMEDIATE transaction: everything it changes commits
/// together or, if it throws, not at all. An error thrown by the closure comes out unchanged (so
/// an API can throw its own error type from inside and have the transaction rolled back);
/// SQLite's failures come out as ``StoreError``. ``read(_:)`` sees one consistent snapshot.
///
/// ## Desired state is written before it is acted on
/// Every change the control plane drives follows the same order, so that a crash between any two
/// steps leaves a state the reconciler can finish:
/// 1. In one write transaction, record the intent: e.g. insert the task row with
///    `desiredStatus = RUNNING`, `lastStatus = PROVISIONING` (or set `desiredStatus = STOPPED`
///    on StopTask). Return to the caller only after this commits.
/// 2. Act outside any transaction: launch or stop through the runtime. Acting must be idempotent
///    and keyed by the stored id (the runtime names everything after the task id), so doing it
///    twice after a crash is harmless.
/// 3. In another write transaction, record what was observed (`lastStatus`, timestamps,
///    `version + 1`), moving `lastStatus` only forward (``ECSTaskStatus/canMove(to:)``).
/// On start, the reconciler reads every row whose `lastStatus` differs from its `desiredStatus`
/// (``TaskRecord/unsettled(_:)``) and repeats step 2 for it. Never hold a write transaction open across step 2.
///
/// ## Concurrency
/// `ECSStore` is `Sendable`; GRDB serializes writers and lets readers run beside them. The
/// synchronous methods block the calling thread (do not call them on an event loop); the `async`
/// overloads suspend instead.
public final class ECSStore: Sendable {
    /// The database file, or nil for an in-memory store.
    public let path: String?
    /// How long a connection waits for another process's lock before failing with SQLITE_BUSY.
    public static let busyTimeout: TimeInterval = 5
    /// The file name `wharf serve` uses inside its data directory.
    public static let defaultFileName = "ecs.sqlite"
    /// Reader connections of the file's pool (GRDB's default): at most this many read
    /// transactions run at once, more wait for a connection to be handed back.
    public static let readerConnections = 5

    private let writer: any DatabaseWriter

    /// DescribeTasks' encoded tasks, kept while their rows are unchanged (see ``TaskJSONCache``).
    let encodedTasks = TaskJSONCache()

    /// The database, for stores that keep their own tables beside ECS's (Application Auto
    /// Scaling); they run their own migrations, named apart from ECS's.
    public var databaseWriter: any DatabaseWriter { writer }

    /// Opens (creating if needed) the database at `path`, its directory included, in WAL mode,
    /// and migrates it to the current schema.
    public convenience init(path: String) throws(StoreError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .createDirectory(path: directory, reason: "\(error)")
            }
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: Self.configuration())
        } catch {
            throw .open(path: path, reason: "\(error)")
        }
        try self.init(writer: pool, path: path)
    }

    /// The database file inside a data directory (`DATA/ecs.sqlite`).
    public static func defaultPath(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent(defaultFileName)
    }

    /// A private in-memory store, migrated, for tests.
    public static func inMemory() throws(StoreError) -> ECSStore {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: configuration())
        } catch {
            throw .open(path: ":memory:", reason: "\(error)")
        }
        return try ECSStore(writer: queue, path: nil)
    }

    private init(writer: any DatabaseWriter, path: String?) throws(StoreError) {
        self.writer = writer
        self.path = path
        let migrator = StoreSchema.migrator
        let known = Set(migrator.migrations)
        let superseded: Bool
        do {
            // Other stores share this database with migrations of their own (Application Auto
            // Scaling's `autoscaling-*`): only identifiers nobody here knows mean a newer Wharf.
            superseded = try writer.read { db in
                guard try db.tableExists("grdb_migrations") else { return false }
                return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").contains { identifier in
                    !known.contains(identifier) && !AutoScalingSchema.isOwnMigration(identifier)
                }
            }
        } catch {
            throw .migrate(reason: "\(error)")
        }
        // A database migrated by a newer Wharf has tables this one does not know; writing to it
        // could break the newer version's invariants.
        if superseded {
            throw .migrate(reason: "the database was migrated by a newer version (unknown migrations applied)")
        }
        do {
            try migrator.migrate(writer)
        } catch {
            throw .migrate(reason: "\(error)")
        }
    }

    private static func configuration() -> Configuration {
        var config = Configuration()
        config.label = "wharf.ecs"
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.maximumReaderCount = readerConnections
        // GRDB begins write transactions IMMEDIATE (the write lock is taken when the transaction
        // begins, so two writers never both read and then collide on commit).
        return config
    }

    // MARK: Transactions (blocking)

    /// Runs `body` in one read transaction (a consistent snapshot).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw StoreError.read(reason: "\(error)")
        }
    }

    /// Runs `updates` in one write transaction; commits if it returns, rolls back if it throws.
    public func write<T>(_ updates: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(updates)
        } catch let error as DatabaseError {
            throw StoreError.write(reason: "\(error)")
        }
    }

    // MARK: Transactions (async)

    /// Runs `body` in one read transaction without blocking the caller's thread.
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            let value: T = try await writer.read { db in try body(db) }
            return value
        } catch let error as DatabaseError {
            throw StoreError.read(reason: "\(error)")
        }
    }

    /// Runs `updates` in one write transaction without blocking the caller's thread.
    public func write<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        do {
            let value: T = try await writer.write { db in try updates(db) }
            return value
        } catch let error as DatabaseError {
            throw StoreError.write(reason: "\(error)")
        }
    }

    // MARK: Inspection

    /// The names of the migrations applied to the database, in order.
    public func appliedMigrations() throws -> [String] {
        let migrator = StoreSchema.migrator
        return try read { (db: Database) throws -> [String] in try migrator.appliedMigrations(db) }
    }

    /// SQLite's `journal_mode` (`wal` for a file store, `memory` in memory).
    public func journalMode() throws -> String {
        try read { (db: Database) throws -> String in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
