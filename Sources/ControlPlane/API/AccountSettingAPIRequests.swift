struct PutAccountSettingRequest: Decodable {
    var name: String?
    var value: String?
    var principalArn: String?
}

struct PutAccountSettingDefaultRequest: Decodable {
    var name: String?
    var value: String?
}

struct DeleteAccountSettingRequest: Decodable {
    var name: String?
    var principalArn: String?
}

struct ListAccountSettingsRequest: Decodable {
    var name: String?
    var value: String?
    var principalArn: String?
    var effectiveSettings: Bool?
    var nextToken: String?
    var maxResults: Int?
}

/// ECS `Setting`.
struct ECSAccountSetting: Codable, Sendable, Equatable {
    var name: String
    var value: String
    var principalArn: String
    /// `user` (set by a principal or as the account's default) or `aws_managed` (AWS's default).
    var type: String
}

struct AccountSettingResponse: Encodable {
    var setting: ECSAccountSetting
}

struct ListAccountSettingsResponse: Encodable {
    var settings: [ECSAccountSetting]
    var nextToken: String?
}
