import Foundation
import GRDB

/// A RunTask `clientToken` and what its request did, so a retry with the same token answers
/// the same tasks instead of starting more (ECS's "Ensuring idempotency"). Tokens are scoped
/// to a cluster and kept ``lifetime`` seconds; the same token with other parameters is a
/// `ConflictException`.
struct RunTaskClientTokenRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "runTaskClientToken"
    /// ECS keeps a RunTask client token for 24 hours.
    static let lifetime: Double = 24 * 3_600

    var clusterName: String
    var token: String
    /// The request's parameters but the token, as canonical JSON (sorted keys): a retry must
    /// match it exactly.
    var request: String
    /// JSON `[String]`: the IDs of the tasks the request created, in its answer's order.
    var taskIds: String
    /// JSON `[ECSFailure]`: the request's failures.
    var failures: String
    var createdAt: Double

    /// The live record of `token` in `clusterName`, after removing every expired token.
    static func live(_ db: Database, clusterName: String, token: String, now: Double) throws -> RunTaskClientTokenRecord? {
        try filter(Column("createdAt") <= now - lifetime).deleteAll(db)
        return try fetchOne(db, key: ["clusterName": clusterName, "token": token])
    }

    var decodedTaskIDs: [String] {
        (try? JSONDecoder().decode([String].self, from: Data(taskIds.utf8))) ?? []
    }

    var decodedFailures: [ECSFailure] {
        (try? JSONDecoder().decode([ECSFailure].self, from: Data(failures.utf8))) ?? []
    }

    /// JSON text for a column (sorted keys).
    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}
