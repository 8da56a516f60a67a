import Foundation
import GRDB

/// A RunTask `clientToken` and what its request did, so a retry with the same token answers
/// the same tasks instead of starting more (ECS's "Ensuring idempotency"). Tokens are scoped
/// to a cluster and last ``lifetime`` seconds, or until a task they started is purged,
/// whichever comes first; the same token with other parameters is a `ConflictException`.
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

    init(clusterName: String, token: String, request: String, taskIDs: [String], failures: [ECSFailure],
         createdAt: Double) throws(ECSError) {
        self.clusterName = clusterName
        self.token = token
        self.request = request
        self.taskIds = try Self.json(taskIDs, "the task IDs")
        self.failures = try Self.json(failures, "the failures")
        self.createdAt = createdAt
    }

    /// The unexpired record of `token` in `clusterName`.
    static func fetch(_ db: Database, clusterName: String, token: String, now: Double) throws -> RunTaskClientTokenRecord? {
        try filter(Column("clusterName") == clusterName && Column("token") == token && Column("createdAt") > now - lifetime)
            .fetchOne(db)
    }

    /// Removes every expired token.
    static func purgeExpired(_ db: Database, now: Double) throws {
        try filter(Column("createdAt") <= now - lifetime).deleteAll(db)
    }

    func decodedTaskIDs() throws(ECSError) -> [String] {
        try Self.decode([String].self, taskIds, "task IDs")
    }

    func decodedFailures() throws(ECSError) -> [ECSFailure] {
        try Self.decode([ECSFailure].self, failures, "failures")
    }

    private static func json<T: Encodable>(_ value: T, _ what: String) throws(ECSError) -> String {
        do throws(ECSError) {
            return String(decoding: try ECSJSONCoding.encode(value), as: UTF8.self)
        } catch {
            throw ECSError(.serverException, "Could not record \(what) of a RunTask client token: \(error.message)")
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String, _ what: String) throws(ECSError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw ECSError(.serverException, "Could not read the \(what) of a RunTask client token: \(error)")
        }
    }
}
