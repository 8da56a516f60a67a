/// ECS's account settings (`SettingName`): the values each accepts and AWS's default, which
/// applies to a principal that set none, when the account's root set none either.
enum AccountSettings {
    /// A setting's accepted values and its default.
    struct Rule: Sendable {
        var values: [String]
        var awsDefault: String
    }

    static let enabledOrDisabled = ["enabled", "disabled"]
    static let onOrOff = ["on", "off"]

    /// Every setting name ECS knows, with its rule.
    static let rules: [String: Rule] = [
        "serviceLongArnFormat": Rule(values: enabledOrDisabled, awsDefault: "enabled"),
        "taskLongArnFormat": Rule(values: enabledOrDisabled, awsDefault: "enabled"),
        "containerInstanceLongArnFormat": Rule(values: enabledOrDisabled, awsDefault: "enabled"),
        "awsvpcTrunking": Rule(values: enabledOrDisabled, awsDefault: "disabled"),
        "containerInsights": Rule(values: ECSClusterSetting.containerInsightsValues, awsDefault: "disabled"),
        "fargateFIPSMode": Rule(values: enabledOrDisabled, awsDefault: "disabled"),
        "tagResourceAuthorization": Rule(values: onOrOff, awsDefault: "on"),
        "fargateTaskRetirementWaitPeriod": Rule(values: ["0", "7", "14"], awsDefault: "7"),
        "guardDutyActivate": Rule(values: onOrOff, awsDefault: "off"),
        "defaultLogDriverMode": Rule(values: ["blocking", "non-blocking"], awsDefault: "non-blocking"),
        "fargateEventWindows": Rule(values: enabledOrDisabled, awsDefault: "disabled"),
    ]

    /// Settings only the account's root may set ("You must use the root user when you set the
    /// Fargate wait time").
    static let rootOnly: Set<String> = ["fargateTaskRetirementWaitPeriod"]

    static let names: [String] = rules.keys.sorted()

    /// `name` checked against ECS's setting names.
    static func rule(_ name: String) throws(ECSError) -> Rule {
        guard let rule = rules[name] else { throw ECSError.invalidEnum("name", name, allowed: names) }
        return rule
    }

    /// `value` checked against what setting `name` accepts.
    static func check(_ value: String, for name: String) throws(ECSError) {
        let rule = try rule(name)
        guard rule.values.contains(value) else {
            throw ECSError(.invalidParameterException,
                           "Invalid value '\(value)' for the account setting \(name): must be one of \(rule.values.joined(separator: ", ")).")
        }
    }
}
