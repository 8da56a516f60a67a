import Foundation
import GRDB
import Glibc

/// The secrets' durable state: its own SQLite file in the data directory (never the ECS
/// database, so the file holding secret values can be guarded on its own), created with mode
/// 0600. SQLite gives its journal files the database file's mode.
///
/// Every operation is one write transaction (GRDB's serial queue): the file is small and
/// GetSecretValue is rare, and a secret whose recovery window has ended is purged at the start
/// of each, so no reader ever sees one.
public final class SecretsStore: Sendable {
    /// The file name `wharf serve` uses inside its data directory.
    public static let defaultFileName = "secrets.sqlite"
    /// The mode the database file is created with (and tightened to when it exists).
    public static let fileMode: mode_t = 0o600
    /// How long a transaction waits for another connection's lock.
    public static let busyTimeout: TimeInterval = 5

    private let queue: DatabaseQueue

    /// The database file inside a data directory (`DATA/secrets.sqlite`).
    public static func defaultPath(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent(defaultFileName)
    }

    /// Opens (creating with mode 0600 if needed) the database at `path` and migrates it.
    public convenience init(path: String) throws(SecretsStoreError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, Self.fileMode)
        guard descriptor >= 0 else { throw .createFile(path: path, call: "open", errno: errno) }
        defer { close(descriptor) }
        guard fchmod(descriptor, Self.fileMode) == 0 else { throw .createFile(path: path, call: "fchmod", errno: errno) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw .open(path: path, reason: "\(error)")
        }
        try self.init(queue: queue)
    }

    /// A store on a private in-memory database (tests).
    public static func inMemory() throws(SecretsStoreError) -> SecretsStore {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue()
        } catch {
            throw .open(path: ":memory:", reason: "\(error)")
        }
        return try SecretsStore(queue: queue)
    }

    private init(queue: DatabaseQueue) throws(SecretsStoreError) {
        self.queue = queue
        let migrator = SecretsSchema.migrator
        let known = Set(migrator.migrations)
        do {
            let unknown = try queue.read { db in try migrator.appliedIdentifiers(db) }.filter { !known.contains($0) }.sorted()
            guard unknown.isEmpty else { throw SecretsStoreError.superseded(unknown) }
            try migrator.migrate(queue)
        } catch let error as SecretsStoreError {
            throw error
        } catch {
            throw .migrate(reason: "\(error)")
        }
    }

    // MARK: Transactions

    /// One write transaction at time `now`: secrets whose deletion date has passed are purged
    /// first; commits if `body` returns, rolls back if it throws. An error thrown inside comes
    /// out as is; SQLite's as ``SecretsStoreError/transaction(reason:busy:)``.
    func transaction<T>(now: Double, _ body: (SecretsTransaction) throws -> T) throws -> T {
        do {
            return try queue.write { db in
                try db.execute(sql: "DELETE FROM secretsmanager_secrets WHERE deletion_date IS NOT NULL AND deletion_date <= ?",
                               arguments: [now])
                return try body(SecretsTransaction(db: db))
            }
        } catch let error as DatabaseError {
            throw SecretsStoreError.transaction(
                reason: "\(error)", busy: error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED)
        }
    }
}
