import Foundation
import Testing
@testable import ControlPlane

@Suite("ECS account settings")
struct AccountSettingAPITests {
    static let root = "arn:aws:iam::123456789012:root"

    @Test("a principal's setting overrides the account's default, which overrides AWS's; deleting falls back")
    func precedence() throws {
        let h = try ECSHarness()
        func effective(_ name: String, principal: String? = nil) throws -> [String: Any] {
            let principalMember = principal.map { #", "principalArn": "\#($0)""# } ?? ""
            let listed = try h.call("ListAccountSettings", #"{"name": "\#(name)", "effectiveSettings": true\#(principalMember)}"#)
            return objects(listed["settings"]).first ?? [:]
        }
        let initial = try effective("containerInsights")
        #expect(initial["value"] as? String == "disabled" && initial["type"] as? String == "aws_managed")
        #expect(initial["principalArn"] as? String == ECSHarness.caller)

        let byDefault = object(try h.call("PutAccountSettingDefault", #"{"name": "containerInsights", "value": "enhanced"}"#)["setting"])
        #expect(byDefault["principalArn"] as? String == Self.root && byDefault["type"] as? String == "user")
        #expect(try effective("containerInsights")["value"] as? String == "enhanced", "the account's default applies to the caller")

        let own = object(try h.call("PutAccountSetting", #"{"name": "containerInsights", "value": "enabled"}"#)["setting"])
        #expect(own["principalArn"] as? String == ECSHarness.caller && own["value"] as? String == "enabled")
        #expect(try effective("containerInsights")["value"] as? String == "enabled")
        #expect(try effective("containerInsights", principal: "arn:aws:iam::123456789012:role/other")["value"] as? String == "enhanced")

        // A cluster created without the setting takes its creator's.
        let cluster = object(try h.call("CreateCluster", #"{"clusterName": "observed"}"#)["cluster"])
        #expect(objects(cluster["settings"]).first?["value"] as? String == "enabled")

        let deleted = object(try h.call("DeleteAccountSetting", #"{"name": "containerInsights"}"#)["setting"])
        #expect(deleted["value"] as? String == "enabled")
        #expect(try effective("containerInsights")["value"] as? String == "enhanced", "back to the account's default")
    }

    @Test("ListAccountSettings lists what the principal set, every setting with effectiveSettings, paged")
    func listing() throws {
        let h = try ECSHarness()
        #expect(objects(try h.call("ListAccountSettings")["settings"]).isEmpty, "nothing set")
        _ = try h.call("PutAccountSetting", #"{"name": "awsvpcTrunking", "value": "enabled"}"#)
        _ = try h.call("PutAccountSetting", #"{"name": "guardDutyActivate", "value": "on"}"#)
        let own = objects(try h.call("ListAccountSettings")["settings"])
        #expect(own.compactMap { $0["name"] as? String } == ["awsvpcTrunking", "guardDutyActivate"])
        #expect(objects(try h.call("ListAccountSettings", #"{"name": "awsvpcTrunking", "value": "disabled"}"#)["settings"]).isEmpty)

        var names: [String] = []
        var token: String?
        repeat {
            let tokenMember = token.map { #", "nextToken": "\#($0)""# } ?? ""
            let page = try h.call("ListAccountSettings", #"{"effectiveSettings": true, "maxResults": 4\#(tokenMember)}"#)
            names += objects(page["settings"]).compactMap { $0["name"] as? String }
            token = page["nextToken"] as? String
        } while token != nil
        #expect(names == AccountSettings.names, "every setting, by name")
    }

    @Test("bad names, values and principals are InvalidParameterException and change nothing")
    func refusals() throws {
        let h = try ECSHarness()
        for (operation, body) in [
            ("PutAccountSetting", #"{"name": "fastMode", "value": "enabled"}"#),
            ("PutAccountSetting", #"{"name": "awsvpcTrunking", "value": "maybe"}"#),
            ("PutAccountSetting", #"{"name": "awsvpcTrunking"}"#),
            ("PutAccountSetting", #"{"name": "awsvpcTrunking", "value": "enabled", "principalArn": "arn:aws:iam::999999999999:root"}"#),
            ("PutAccountSetting", #"{"name": "fargateTaskRetirementWaitPeriod", "value": "14"}"#),
            ("PutAccountSettingDefault", #"{"name": "fargateTaskRetirementWaitPeriod", "value": "3"}"#),
            ("DeleteAccountSetting", #"{}"#),
            ("ListAccountSettings", #"{"value": "enabled"}"#),
            ("ListAccountSettings", #"{"maxResults": 11}"#),
        ] {
            #expect(h.error(operation, body)?.kind == .invalidParameterException, "\(operation) \(body)")
        }
        #expect(objects(try h.call("ListAccountSettings", #"{"principalArn": "\#(Self.root)"}"#)["settings"]).isEmpty)
        let waited = object(try h.call("PutAccountSettingDefault", #"{"name": "fargateTaskRetirementWaitPeriod", "value": "14"}"#)["setting"])
        #expect(waited["value"] as? String == "14", "the root may set the Fargate wait time")
    }
}
