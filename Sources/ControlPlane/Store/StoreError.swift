/// Why the control plane's store failed, naming the step. SQLite's own report (result code and
/// message, as GRDB formats it) is kept in `reason`.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Creating the directory that holds the database file.
    case createDirectory(path: String, reason: String)
    /// Opening the database (`DatabasePool` / `DatabaseQueue` init: sqlite3_open_v2, WAL set-up).
    case open(path: String, reason: String)
    /// Running the schema migrations (`DatabaseMigrator.migrate`).
    case migrate(reason: String)
    /// A read transaction failed.
    case read(reason: String)
    /// A write transaction failed (and was rolled back).
    case write(reason: String)

    public var description: String {
        switch self {
        case .createDirectory(let path, let reason): "store: creating directory \(path): \(reason)"
        case .open(let path, let reason): "store: opening \(path): \(reason)"
        case .migrate(let reason): "store: migrating schema: \(reason)"
        case .read(let reason): "store: read transaction: \(reason)"
        case .write(let reason): "store: write transaction: \(reason)"
        }
    }
}
