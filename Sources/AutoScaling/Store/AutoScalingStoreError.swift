/// A failure of the Application Auto Scaling store, naming the step.
public enum AutoScalingStoreError: Error, Sendable, CustomStringConvertible {
    /// Running the migrations (`DatabaseMigrator.migrate`).
    case migrate(reason: String)
    /// The database holds `autoscaling-` migrations this version does not know.
    case superseded([String])
    /// A read transaction failed.
    case read(reason: String)
    /// A write transaction failed; `busy` when another writer held the lock past the timeout.
    case write(reason: String, busy: Bool)
    /// A stored document did not decode or a document did not encode.
    case document(table: String, reason: String)

    public var description: String {
        switch self {
        case .migrate(let reason): return "autoscaling store: migrating failed: \(reason)"
        case .superseded(let identifiers):
            return "autoscaling store: the database has migrations this version does not know: \(identifiers.joined(separator: ", "))"
        case .read(let reason): return "autoscaling store: read failed: \(reason)"
        case .write(let reason, _): return "autoscaling store: write failed: \(reason)"
        case .document(let table, let reason): return "autoscaling store: document in \(table): \(reason)"
        }
    }
}
