import GRDB

/// One account setting a principal set (PutAccountSetting) or the account's default
/// (PutAccountSettingDefault: the root user's setting, which every principal inherits).
struct AccountSettingRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "accountSetting"

    var principalArn: String
    var name: String
    var value: String

    /// `principalArn`'s own setting `name`, if it set one.
    static func find(_ db: Database, principalArn: String, name: String) throws -> AccountSettingRecord? {
        try fetchOne(db, key: ["principalArn": principalArn, "name": name])
    }

    /// Every setting `principalArn` set, by name.
    static func all(_ db: Database, principalArn: String) throws -> [AccountSettingRecord] {
        try filter(Column("principalArn") == principalArn).order(Column("name")).fetchAll(db)
    }
}
