import GRDB

/// RunTask's client token: what an earlier request with the same token did.
extension ECSAPI {
    /// What became of the earlier RunTask that used a client token in a cluster.
    enum EarlierLaunch {
        /// None within the token's lifetime: this request launches.
        case none
        /// It stands: its tasks (every one still stored) and failures are the answer again.
        case answered(records: [TaskRecord], failures: [ECSFailure])
        /// A task it started has been purged, which ends the token (ECS keeps a token no longer
        /// than its tasks can be described); the record goes and this request launches.
        case ended(RunTaskClientTokenRecord)
    }

    /// The earlier RunTask with `token` in `clusterName`. Throws `ConflictException` (with the
    /// earlier tasks' ARNs) when it came with other parameters.
    static func earlierLaunch(_ db: Database, token: ClientToken, clusterName: String, now: Double) throws
        -> EarlierLaunch {
        guard let earlier = try RunTaskClientTokenRecord.fetch(db, clusterName: clusterName, token: token.token, now: now)
        else { return .none }
        let ids = try earlier.decodedTaskIDs()
        let stored = Dictionary(try TaskRecord.fetchAll(db, keys: ids).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let records = ids.compactMap { stored[$0] }
        guard earlier.request == token.request else {
            throw ECSError(.conflictException,
                           "The clientToken \(token.token) was used with different parameters by an earlier RunTask.",
                           resourceIds: records.map(\.arn))
        }
        guard records.count == ids.count else { return .ended(earlier) }
        return .answered(records: records, failures: try earlier.decodedFailures())
    }

    /// Records what the RunTask with `token` did (expired tokens go with `TaskRetention.purge`).
    static func recordLaunch(_ db: Database, token: ClientToken, clusterName: String, records: [TaskRecord],
                             failures: [ECSFailure], now: Double) throws {
        try RunTaskClientTokenRecord(
            clusterName: clusterName, token: token.token, request: token.request, taskIDs: records.map(\.id),
            failures: failures, createdAt: now
        ).insert(db)
    }
}
