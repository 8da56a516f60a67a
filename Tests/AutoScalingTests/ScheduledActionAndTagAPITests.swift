import AWSProtocol
import Foundation
import Testing
@testable import AutoScaling

@Suite("Application Auto Scaling API: scheduled actions and tags")
struct ScheduledActionAndTagAPITests {
    @Test("PutScheduledAction creates and updates; describe and delete")
    func scheduledActions() async throws {
        let api = try APIFixture()
        try await api.registerWeb()
        try await api.ok("PutScheduledAction", APIFixture.web([
            "ScheduledActionName": "business-hours", "Schedule": "cron(0 8 ? * MON-FRI *)", "Timezone": "UTC",
            "StartTime": 1_795_000_000, "EndTime": 1_800_000_000,
            "ScalableTargetAction": ["MinCapacity": 4, "MaxCapacity": 20],
        ]))
        try await api.ok("PutScheduledAction", APIFixture.web([
            "ScheduledActionName": "once", "Schedule": "at(2026-12-24T18:00:00)", "ScalableTargetAction": ["MaxCapacity": 2],
        ]))
        var described = try await api.ok("DescribeScheduledActions", ["ServiceNamespace": "ecs", "ResourceId": "service/default/web"])
        var actions = try #require(described[member: "ScheduledActions"]?.arrayValue)
        #expect(actions.compactMap { $0[member: "ScheduledActionName"]?.stringValue } == ["business-hours", "once"])
        let first = actions[0]
        #expect(first[member: "Schedule"] == "cron(0 8 ? * MON-FRI *)")
        #expect(first[member: "Timezone"] == "UTC")
        #expect(first[member: "ScalableTargetAction"]?[member: "MinCapacity"] == 4)
        #expect(first[member: "StartTime"]?.timestampValue == Date(timeIntervalSince1970: 1_795_000_000))
        #expect(first[member: "ScheduledActionARN"]?.stringValue?.hasSuffix(
            ":resource/ecs/service/default/web:scheduledActionName/business-hours") == true)

        // Update: only the schedule changes.
        try await api.ok("PutScheduledAction", APIFixture.web(["ScheduledActionName": "business-hours", "Schedule": "rate(2 hours)"]))
        described = try await api.ok("DescribeScheduledActions", ["ServiceNamespace": "ecs", "ScheduledActionNames": ["business-hours"]])
        actions = try #require(described[member: "ScheduledActions"]?.arrayValue)
        #expect(actions.count == 1)
        #expect(actions.first?[member: "Schedule"] == "rate(2 hours)")
        #expect(actions.first?[member: "ScalableTargetAction"]?[member: "MaxCapacity"] == 20)

        try await api.ok("DeleteScheduledAction", APIFixture.web(["ScheduledActionName": "once"]))
        let message = try await api.error("DeleteScheduledAction", APIFixture.web(["ScheduledActionName": "once"]), "ObjectNotFoundException")
        #expect(message.hasSuffix("scheduled action name: once"))
    }

    @Test("Scheduled action refusals")
    func refusals() async throws {
        let api = try APIFixture()
        _ = try await api.error("PutScheduledAction", APIFixture.web(["ScheduledActionName": "a", "Schedule": "rate(1 hour)"]),
                                "ObjectNotFoundException")
        try await api.registerWeb()
        let schedule = try await api.error("PutScheduledAction", APIFixture.web(["ScheduledActionName": "a", "Schedule": "cron(0 8 * * *)"]),
                                           "ValidationException")
        #expect(schedule.contains("6 fields"))
        _ = try await api.error("PutScheduledAction", APIFixture.web(["ScheduledActionName": "a", "Schedule": "rate(0 hours)"]), "ValidationException")
        let zone = try await api.error("PutScheduledAction", APIFixture.web([
            "ScheduledActionName": "a", "Schedule": "rate(1 hour)", "Timezone": "Europe/Paris",
        ]), "ValidationException")
        #expect(zone.contains("UTC"))
        _ = try await api.error("PutScheduledAction", APIFixture.web(["ScheduledActionName": "a"]), "ValidationException")
        _ = try await api.error("PutScheduledAction", APIFixture.web([
            "ScheduledActionName": "a", "Schedule": "rate(1 hour)", "ScalableTargetAction": ["MinCapacity": 5, "MaxCapacity": 1],
        ]), "ValidationException")
        _ = try await api.error("PutScheduledAction", APIFixture.web([
            "ScheduledActionName": "a", "Schedule": "rate(1 hour)", "StartTime": 2000, "EndTime": 1000,
        ]), "ValidationException")
    }

    @Test("Tags on a scalable target: tag, list, untag, and their refusals")
    func tags() async throws {
        let api = try APIFixture()
        let registered = try await api.ok("RegisterScalableTarget", APIFixture.web([
            "MinCapacity": 1, "MaxCapacity": 4, "Tags": ["team": "web"],
        ]))
        let arn = try #require(registered[member: "ScalableTargetARN"]?.stringValue)
        try await api.ok("TagResource", ["ResourceARN": .string(arn), "Tags": ["env": "prod", "team": "platform"]])
        var listed = try await api.ok("ListTagsForResource", ["ResourceARN": .string(arn)])
        #expect(listed[member: "Tags"] == ["env": "prod", "team": "platform"])
        try await api.ok("UntagResource", ["ResourceARN": .string(arn), "TagKeys": ["env"]])
        listed = try await api.ok("ListTagsForResource", ["ResourceARN": .string(arn)])
        #expect(listed[member: "Tags"] == ["team": "platform"])

        let unknown = "arn:aws:application-autoscaling:eu-west-1:123456789012:scalable-target/0123"
        _ = try await api.error("ListTagsForResource", ["ResourceARN": .string(unknown)], "ResourceNotFoundException")
        _ = try await api.error("TagResource", ["ResourceARN": .string(unknown), "Tags": ["a": "b"]], "ResourceNotFoundException")
        _ = try await api.error("UntagResource", ["ResourceARN": .string(unknown), "TagKeys": ["a"]], "ResourceNotFoundException")
        _ = try await api.error("TagResource", ["ResourceARN": .string(arn), "Tags": ["aws:reserved": "x"]], "ValidationException")
        _ = try await api.error("TagResource", ["ResourceARN": .string(arn), "Tags": [:]], "ValidationException")
        var many: [String: JSONValue] = [:]
        for index in 0..<AutoScalingAPI.Limits.tagsPerResource { many["k\(index)"] = "v" }
        _ = try await api.error("TagResource", ["ResourceARN": .string(arn), "Tags": .object(many)], "TooManyTagsException")
    }
}
