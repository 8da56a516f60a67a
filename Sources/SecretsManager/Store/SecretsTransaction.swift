import Foundation
import GRDB

/// The store's queries inside one transaction.
struct SecretsTransaction {
    let db: Database

    /// The secret named `name`.
    func secret(named name: String) throws -> SecretRecord? {
        try String.fetchOne(db, sql: "SELECT document FROM secretsmanager_secrets WHERE name = ?", arguments: [name])
            .map { try Self.decode($0, name: name) }
    }

    /// The secret whose full ARN is `arn`.
    func secret(arn: String) throws -> SecretRecord? {
        try String.fetchOne(db, sql: "SELECT document FROM secretsmanager_secrets WHERE arn = ?", arguments: [arn])
            .map { try Self.decode($0, name: arn) }
    }

    /// Every secret, by name.
    func allSecrets() throws -> [SecretRecord] {
        try String.fetchAll(db, sql: "SELECT document FROM secretsmanager_secrets ORDER BY name")
            .map { try Self.decode($0, name: "(listing)") }
    }

    /// Inserts or replaces `secret`.
    func save(_ secret: SecretRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let document: String
        do {
            document = String(decoding: try encoder.encode(secret), as: UTF8.self)
        } catch {
            throw SecretsStoreError.document(name: secret.name, reason: "\(error)")
        }
        try db.execute(
            sql: "INSERT OR REPLACE INTO secretsmanager_secrets (name, arn, deletion_date, document) VALUES (?, ?, ?, ?)",
            arguments: [secret.name, secret.arn, secret.deletionDate, document])
    }

    /// Removes the secret named `name` and every version of it.
    func delete(named name: String) throws {
        try db.execute(sql: "DELETE FROM secretsmanager_secrets WHERE name = ?", arguments: [name])
    }

    private static func decode(_ text: String, name: String) throws -> SecretRecord {
        do {
            return try JSONDecoder().decode(SecretRecord.self, from: Data(text.utf8))
        } catch {
            throw SecretsStoreError.document(name: name, reason: "\(error)")
        }
    }
}
