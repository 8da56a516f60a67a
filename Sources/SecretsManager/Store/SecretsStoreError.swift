/// A failure of the secrets store, naming the step (and the file or call where there is one).
public enum SecretsStoreError: Error, Sendable, CustomStringConvertible {
    /// Creating the database file with mode 0600 (`open`) or tightening an existing one (`chmod`).
    case createFile(path: String, call: String, errno: Int32)
    /// Opening the database (GRDB's `DatabaseQueue`).
    case open(path: String, reason: String)
    /// Running the migrations.
    case migrate(reason: String)
    /// The file holds migrations this version does not know (written by a newer Wharf).
    case superseded([String])
    /// A transaction failed; `busy` when another writer held the lock past the timeout.
    case transaction(reason: String, busy: Bool)
    /// A stored document did not decode, or a record did not encode.
    case document(name: String, reason: String)

    public var description: String {
        switch self {
        case .createFile(let path, let call, let errno): return "secrets store: \(call)(\(path)) failed: errno \(errno)"
        case .open(let path, let reason): return "secrets store: opening \(path) failed: \(reason)"
        case .migrate(let reason): return "secrets store: migrating failed: \(reason)"
        case .superseded(let identifiers):
            return "secrets store: the database has migrations this version does not know: \(identifiers.joined(separator: ", "))"
        case .transaction(let reason, _): return "secrets store: transaction failed: \(reason)"
        case .document(let name, let reason): return "secrets store: secret \(name): \(reason)"
        }
    }
}
