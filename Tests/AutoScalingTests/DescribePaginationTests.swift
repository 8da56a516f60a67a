import AWSProtocol
import Testing
@testable import AutoScaling

/// The Describe operations' keyset pagination and filters, queried in SQL.
@Suite("Application Auto Scaling API: pagination and filters")
struct DescribePaginationTests {
    /// Registers `service/default/NAME` for each name.
    private func register(_ api: APIFixture, _ names: [String]) async throws {
        for name in names {
            let service = ECSServiceReference(cluster: "default", service: name)
            api.directory.add(service, desired: 1)
            try await api.ok("RegisterScalableTarget", APIFixture.web([
                "ResourceId": .string(service.resourceID), "MinCapacity": 1, "MaxCapacity": 3,
            ]))
        }
    }

    /// Walks `operation` page by page (`MaxResults` each); returns `member`'s `field` values and
    /// the page count. `between` runs after each page but the last.
    private func walk(
        _ api: APIFixture, _ operation: String, _ input: [String: JSONValue], maxResults: Int, member: String, field: String,
        between: (Int) async throws -> Void = { _ in }
    ) async throws -> (values: [String], pages: Int) {
        var values: [String] = []
        var token: JSONValue?
        var pages = 0
        repeat {
            var body = input
            body["MaxResults"] = .int(maxResults)
            if let token { body["NextToken"] = token }
            let page = try await api.ok(operation, .object(body))
            values += page[member: member]?.arrayValue?.compactMap { $0[member: field]?.stringValue } ?? []
            token = page[member: "NextToken"]
            pages += 1
            if token != nil { try await between(pages) }
        } while token != nil && pages < 20
        return (values, pages)
    }

    @Test("A page continues after its last item: targets deleted or added before the cursor are neither skipped nor repeated")
    func keysetAcrossWrites() async throws {
        let api = try APIFixture()
        try await register(api, ["b", "c", "d", "e", "f"])
        let walked = try await walk(api, "DescribeScalableTargets", ["ServiceNamespace": "ecs"], maxResults: 2,
                                    member: "ScalableTargets", field: "ResourceId") { page in
            guard page == 1 else { return }
            // After the first page (b, c): remove b and add a, both before the cursor.
            try await api.ok("DeregisterScalableTarget", APIFixture.web(["ResourceId": "service/default/b"]))
            try await register(api, ["a"])
        }
        #expect(walked.values == ["b", "c", "d", "e", "f"].map { "service/default/\($0)" })
        #expect(walked.pages == 3)
    }

    @Test("A token is refused by another operation and when it is not Wharf's: InvalidNextTokenException")
    func foreignTokens() async throws {
        let api = try APIFixture()
        try await register(api, ["a", "b"])
        let first = try await api.ok("DescribeScalableTargets", ["ServiceNamespace": "ecs", "MaxResults": 1])
        let token = try #require(first[member: "NextToken"])
        _ = try await api.error("DescribeScalingPolicies", ["ServiceNamespace": "ecs", "NextToken": token], "InvalidNextTokenException")
        _ = try await api.error("DescribeScalingActivities", ["ServiceNamespace": "ecs", "NextToken": token], "InvalidNextTokenException")
        let bad = PaginationToken.encode(operation: "DescribeScalingActivities", key: ["not-a-time", "x"])
        _ = try await api.error("DescribeScalingActivities", ["ServiceNamespace": "ecs", "NextToken": .string(bad)], "InvalidNextTokenException")
        _ = try await api.error("DescribeScalableTargets", ["ServiceNamespace": "ecs", "MaxResults": 51], "ValidationException")
        // DescribeScalingPolicies pages at most 10 (its model's range is 1 to 10, default 10).
        _ = try await api.error("DescribeScalingPolicies", ["ServiceNamespace": "ecs", "MaxResults": 11], "ValidationException")
        _ = try await api.ok("DescribeScalingPolicies", ["ServiceNamespace": "ecs", "MaxResults": 10])
    }

    @Test("Policies page in (resource id, name) order with the resource and name filters applied")
    func policies() async throws {
        let api = try APIFixture()
        try await register(api, ["a", "b"])
        for resource in ["service/default/b", "service/default/a"] {
            for name in ["cpu", "memory", "extra"] {
                try await api.ok("PutScalingPolicy", APIFixture.web([
                    "ResourceId": .string(resource), "PolicyName": .string(name), "PolicyType": "TargetTrackingScaling",
                    "TargetTrackingScalingPolicyConfiguration": [
                        "TargetValue": 50, "PredefinedMetricSpecification": ["PredefinedMetricType": "ECSServiceAverageCPUUtilization"],
                    ],
                ]))
            }
        }
        let all = try await walk(api, "DescribeScalingPolicies", ["ServiceNamespace": "ecs", "PolicyNames": ["cpu", "memory"]],
                                 maxResults: 1, member: "ScalingPolicies", field: "PolicyARN")
        #expect(all.pages == 4)
        #expect(all.values.map { $0.split(separator: ":").suffix(2).joined(separator: ":") } == [
            "resource/ecs/service/default/a:policyName/cpu", "resource/ecs/service/default/a:policyName/memory",
            "resource/ecs/service/default/b:policyName/cpu", "resource/ecs/service/default/b:policyName/memory",
        ])
        let one = try await walk(api, "DescribeScalingPolicies", ["ServiceNamespace": "ecs", "ResourceIds": ["service/default/b"]],
                                 maxResults: 2, member: "ScalingPolicies", field: "PolicyName")
        #expect(one.values == ["cpu", "extra", "memory"])
        #expect(one.pages == 2)
    }

    @Test("Scheduled actions page the same way")
    func scheduledActions() async throws {
        let api = try APIFixture()
        try await api.registerWeb()
        for name in ["c", "a", "b"] {
            try await api.ok("PutScheduledAction", APIFixture.web([
                "ScheduledActionName": .string(name), "Schedule": "rate(1 hour)", "ScalableTargetAction": ["MinCapacity": 1],
            ]))
        }
        let walked = try await walk(api, "DescribeScheduledActions", ["ServiceNamespace": "ecs", "ResourceId": "service/default/web"],
                                    maxResults: 2, member: "ScheduledActions", field: "ScheduledActionName")
        #expect(walked.values == ["a", "b", "c"])
        #expect(walked.pages == 2)
    }

    @Test("Activities are read by resource in SQL, newest first, and page across equal start times")
    func activities() throws {
        let api = try APIFixture()
        let other = "service/default/other"
        for (index, time) in [100.0, 200.0, 200.0, 300.0, 150.5].enumerated() {
            try api.store.save(ScalingActivity(
                activityID: "web-\(index)", resourceID: "service/default/web", description: "d", cause: "c",
                status: .successful, startTime: time))
            try api.store.save(ScalingActivity(
                activityID: "other-\(index)", resourceID: other, description: "d", cause: "c", status: .successful, startTime: time + 1))
        }
        let store = api.store
        // Through the store: one target's, newest first, ties by id.
        let webOnly = try store.read { db in try store.activities(db, resourceIDs: ["service/default/web"], after: nil, limit: 10) }
        #expect(webOnly.map(\.activityID) == ["web-3", "web-1", "web-2", "web-4", "web-0"])
        let afterTie = try store.read { db in
            try store.activities(db, resourceIDs: ["service/default/web"], after: (200, "web-1"), limit: 10)
        }
        #expect(afterTie.map(\.activityID) == ["web-2", "web-4", "web-0"])
        #expect(try store.activities(resourceID: other).count == 5)
    }

    @Test("DescribeScalingActivities walks one resource's activities page by page")
    func activitiesThroughTheAPI() async throws {
        let api = try APIFixture()
        for (index, time) in [100.0, 200.0, 200.0, 300.0, 150.5].enumerated() {
            try api.store.save(ScalingActivity(
                activityID: "web-\(index)", resourceID: "service/default/web", description: "d", cause: "c",
                status: .successful, startTime: time))
            try api.store.save(ScalingActivity(
                activityID: "other-\(index)", resourceID: "service/default/other", description: "d", cause: "c",
                status: .successful, startTime: time))
        }
        let walked = try await walk(api, "DescribeScalingActivities", ["ServiceNamespace": "ecs", "ResourceId": "service/default/web"],
                                    maxResults: 2, member: "ScalingActivities", field: "ActivityId")
        #expect(walked.values == ["web-3", "web-1", "web-2", "web-4", "web-0"])
        #expect(walked.pages == 3)
    }

    @Test("A mistyped ScalableDimension filter is a ValidationException, not an empty list")
    func dimensionFilter() async throws {
        let api = try APIFixture()
        try await api.registerWeb()
        for operation in ["DescribeScalableTargets", "DescribeScalingPolicies", "DescribeScheduledActions", "DescribeScalingActivities"] {
            let message = try await api.error(operation, ["ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:Desiredcount"],
                                              "ValidationException")
            #expect(message.contains("ecs:service:Desiredcount"), "\(operation)")
            _ = try await api.ok(operation, ["ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount"])
        }
        let described = try await api.ok("DescribeScalableTargets", ["ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount"])
        #expect(described[member: "ScalableTargets"]?.arrayValue?.count == 1)
    }
}
