import AWSProtocol
import GRDB

/// PutAccountSetting, PutAccountSettingDefault, DeleteAccountSetting, ListAccountSettings.
///
/// A principal's effective setting is its own, else the account's default (the root user's,
/// which PutAccountSettingDefault sets), else AWS's default (``AccountSettings``). Settings are
/// recorded and answered as ECS does; the one Wharf acts on is `containerInsights`, which a
/// cluster created without that setting takes from its creator's effective value.
extension ECSAPI {
    /// PutAccountSetting: `name` set to `value` for `principalArn` (the caller when absent).
    func putAccountSetting(_ request: PutAccountSettingRequest, _ context: ECSRequestContext) throws(ECSError) -> AccountSettingResponse {
        let name = try RequestValidation.required(request.name, "name")
        let value = try RequestValidation.required(request.value, "value")
        try AccountSettings.check(value, for: name)
        let principal = try Self.principal(request.principalArn, context)
        if AccountSettings.rootOnly.contains(name), principal != context.rootARN {
            throw ECSError(.invalidParameterException, "The account setting \(name) can only be set for the root user (\(context.rootARN)).")
        }
        return try transaction { db in
            try AccountSettingRecord(principalArn: principal, name: name, value: value).save(db)
            return AccountSettingResponse(setting: ECSAccountSetting(name: name, value: value, principalArn: principal, type: "user"))
        }
    }

    /// PutAccountSettingDefault: `name` set to `value` for the account (its root user), which
    /// every principal without a setting of its own inherits.
    func putAccountSettingDefault(_ request: PutAccountSettingDefaultRequest, _ context: ECSRequestContext)
        throws(ECSError) -> AccountSettingResponse
    {
        try putAccountSetting(PutAccountSettingRequest(name: request.name, value: request.value, principalArn: context.rootARN), context)
    }

    /// DeleteAccountSetting: the principal's own setting removed (it inherits the account's, or
    /// AWS's, again); answers the setting that was deleted, or the one in effect when it had none.
    func deleteAccountSetting(_ request: DeleteAccountSettingRequest, _ context: ECSRequestContext)
        throws(ECSError) -> AccountSettingResponse
    {
        let name = try RequestValidation.required(request.name, "name")
        _ = try AccountSettings.rule(name)
        let principal = try Self.principal(request.principalArn, context)
        return try transaction { db in
            if let existing = try AccountSettingRecord.find(db, principalArn: principal, name: name) {
                try existing.delete(db)
                return AccountSettingResponse(setting: ECSAccountSetting(name: name, value: existing.value, principalArn: principal, type: "user"))
            }
            return AccountSettingResponse(setting: try Self.effectiveSetting(db, name: name, principal: principal, context))
        }
    }

    /// ListAccountSettings: the principal's own settings (the caller's when `principalArn` is
    /// absent), or with `effectiveSettings` every setting as it applies to it; filtered by
    /// `name` and `value` (which needs `name`), paged by name (1 to 10, 10 by default).
    func listAccountSettings(_ request: ListAccountSettingsRequest, _ context: ECSRequestContext)
        throws(ECSError) -> ListAccountSettingsResponse
    {
        if let name = request.name { _ = try AccountSettings.rule(name) }
        if request.value != nil, request.name == nil {
            throw ECSError(.invalidParameterException, "The value filter can only be used together with the name filter.")
        }
        let page = try PageRequest(operation: "ListAccountSettings", maxResults: request.maxResults, nextToken: request.nextToken,
                                   limit: PaginationLimits.listAccountSettings, keyCount: 1)
        let principal = try Self.principal(request.principalArn, context)
        return try snapshot { db in
            var settings: [ECSAccountSetting]
            if request.effectiveSettings ?? false {
                settings = try (request.name.map { [$0] } ?? AccountSettings.names).map { name in
                    try Self.effectiveSetting(db, name: name, principal: principal, context)
                }
            } else {
                settings = try AccountSettingRecord.all(db, principalArn: principal)
                    .filter { request.name == nil || $0.name == request.name }
                    .map { ECSAccountSetting(name: $0.name, value: $0.value, principalArn: principal, type: "user") }
            }
            if let value = request.value { settings = settings.filter { $0.value == value } }
            if let after = page.after?.first { settings = settings.filter { $0.name > after } }
            let (items, token) = page.page(Array(settings.prefix(page.fetchLimit))) { [$0.name] }
            return ListAccountSettingsResponse(settings: items, nextToken: token)
        }
    }

    /// The value of setting `name` that applies to `principal`: its own, the account's, or AWS's.
    static func effectiveSetting(_ db: Database, name: String, principal: String, _ context: ECSRequestContext)
        throws -> ECSAccountSetting
    {
        for owner in [principal, context.rootARN] {
            if let set = try AccountSettingRecord.find(db, principalArn: owner, name: name) {
                return ECSAccountSetting(name: name, value: set.value, principalArn: principal, type: "user")
            }
        }
        let value = AccountSettings.rules[name]?.awsDefault ?? ""
        return ECSAccountSetting(name: name, value: value, principalArn: principal, type: "aws_managed")
    }

    /// The principal a request names, or the caller (the root user when the request carries
    /// no identity); an ARN of another account is refused.
    private static func principal(_ text: String?, _ context: ECSRequestContext) throws(ECSError) -> String {
        guard let text, !text.isEmpty else { return context.principalARN }
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "iam", parts[4] == Substring(context.accountID) else {
            throw ECSError(.invalidParameterException,
                           "principalArn must be an IAM user, role or root ARN of account \(context.accountID), got '\(text)'.")
        }
        return text
    }
}
