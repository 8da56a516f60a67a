import AWSProtocol
import Testing
@testable import AutoScaling

@Suite("Application Auto Scaling API: scalable targets")
struct ScalableTargetAPITests {
    @Test("Register, describe, register again to update, deregister")
    func lifecycle() async throws {
        let api = try APIFixture()
        let registered = try await api.ok("RegisterScalableTarget", APIFixture.web([
            "MinCapacity": 2, "MaxCapacity": 10, "RoleARN": "arn:aws:iam::123456789012:role/custom",
        ]))
        let arn = try #require(registered[member: "ScalableTargetARN"]?.stringValue)
        #expect(arn.hasPrefix("arn:aws:application-autoscaling:eu-west-1:123456789012:scalable-target/"))

        var described = try await api.ok("DescribeScalableTargets", ["ServiceNamespace": "ecs"])
        var target = try #require(described[member: "ScalableTargets"]?.arrayValue?.first)
        #expect(target[member: "ResourceId"] == "service/default/web")
        #expect(target[member: "ScalableDimension"] == "ecs:service:DesiredCount")
        #expect(target[member: "ServiceNamespace"] == "ecs")
        #expect(target[member: "MinCapacity"] == 2)
        #expect(target[member: "MaxCapacity"] == 10)
        #expect(target[member: "RoleARN"] == "arn:aws:iam::123456789012:role/custom")
        #expect(target[member: "ScalableTargetARN"]?.stringValue == arn)
        #expect(target[member: "CreationTime"]?.timestampValue == Signing.date)
        #expect(target[member: "SuspendedState"]?[member: "DynamicScalingInSuspended"] == false)

        // Registering again updates what is given and keeps the rest and the ARN.
        let again = try await api.ok("RegisterScalableTarget", APIFixture.web([
            "MaxCapacity": 30, "SuspendedState": ["DynamicScalingInSuspended": true],
        ]))
        #expect(again[member: "ScalableTargetARN"]?.stringValue == arn)
        described = try await api.ok("DescribeScalableTargets", ["ServiceNamespace": "ecs", "ResourceIds": ["service/default/web"]])
        target = try #require(described[member: "ScalableTargets"]?.arrayValue?.first)
        #expect(target[member: "MinCapacity"] == 2)
        #expect(target[member: "MaxCapacity"] == 30)
        #expect(target[member: "SuspendedState"]?[member: "DynamicScalingInSuspended"] == true)
        #expect(target[member: "SuspendedState"]?[member: "ScheduledScalingSuspended"] == false)

        let other = try await api.ok("DescribeScalableTargets", ["ServiceNamespace": "ecs", "ResourceIds": ["service/default/other"]])
        #expect(other[member: "ScalableTargets"]?.arrayValue?.isEmpty == true)

        try await api.ok("DeregisterScalableTarget", APIFixture.webTarget)
        described = try await api.ok("DescribeScalableTargets", ["ServiceNamespace": "ecs"])
        #expect(described[member: "ScalableTargets"]?.arrayValue?.isEmpty == true)
        let message = try await api.error("DeregisterScalableTarget", APIFixture.webTarget, "ObjectNotFoundException")
        #expect(message == "No scalable target registered for service namespace: ecs, resource ID: service/default/web, "
            + "scalable dimension: ecs:service:DesiredCount")
    }

    @Test("Deregistering removes the target's policies and scheduled actions")
    func deregisterCascades() async throws {
        let api = try APIFixture()
        try await api.registerWeb()
        _ = try await api.putRequestPolicy()
        try await api.ok("PutScheduledAction", APIFixture.web(["ScheduledActionName": "night", "Schedule": "cron(0 22 * * ? *)",
                                                               "ScalableTargetAction": ["MinCapacity": 1]]))
        try await api.ok("DeregisterScalableTarget", APIFixture.webTarget)
        try await api.registerWeb()
        let policies = try await api.ok("DescribeScalingPolicies", ["ServiceNamespace": "ecs"])
        #expect(policies[member: "ScalingPolicies"]?.arrayValue?.isEmpty == true)
        let actions = try await api.ok("DescribeScheduledActions", ["ServiceNamespace": "ecs"])
        #expect(actions[member: "ScheduledActions"]?.arrayValue?.isEmpty == true)
    }

    @Test("Refusals name what is wrong, with this API's exception names")
    func refusals() async throws {
        let api = try APIFixture()
        let missingService = try await api.error("RegisterScalableTarget", [
            "ServiceNamespace": "ecs", "ResourceId": "service/default/ghost", "ScalableDimension": "ecs:service:DesiredCount",
            "MinCapacity": 1, "MaxCapacity": 2,
        ], "ValidationException")
        #expect(missingService == "ECS service doesn't exist: service/default/ghost")
        let namespace = try await api.error("RegisterScalableTarget", APIFixture.web(["ServiceNamespace": "dynamodb"]), "ValidationException")
        #expect(namespace.contains("dynamodb"))
        _ = try await api.error("RegisterScalableTarget", APIFixture.web(["ServiceNamespace": "nope"]), "ValidationException")
        let dimension = try await api.error("RegisterScalableTarget", APIFixture.web(["ScalableDimension": "ecs:service:Count"]),
                                            "ValidationException")
        #expect(dimension.contains("ecs:service:Count"))
        _ = try await api.error("RegisterScalableTarget", APIFixture.web(["ResourceId": "cluster/default"]), "ValidationException")
        let bounds = try await api.error("RegisterScalableTarget", APIFixture.web(["MinCapacity": 5, "MaxCapacity": 2]), "ValidationException")
        #expect(bounds.contains("cannot be greater than maximum"))
        let new = try await api.error("RegisterScalableTarget", APIFixture.web(["MinCapacity": 5]), "ValidationException")
        #expect(new.contains("MinCapacity and MaxCapacity are required"))
        _ = try await api.error("RegisterScalableTarget", APIFixture.web(["MinCapacity": -1, "MaxCapacity": 2]), "ValidationException")
        _ = try await api.error("DescribeScalableTargets", [:], "ValidationException")
        _ = try await api.error("DescribeScalableTargets", ["ServiceNamespace": "ecs", "MaxResults": 0], "ValidationException")
        _ = try await api.error("DescribeScalableTargets", ["ServiceNamespace": "ecs", "NextToken": "garbage"], "InvalidNextTokenException")
        // A member of the wrong JSON type is the protocol's SerializationException.
        _ = try await api.error("RegisterScalableTarget", APIFixture.web(["MinCapacity": "one"]), "SerializationException")
    }

    @Test("Pagination walks every target with MaxResults and NextToken")
    func pagination() async throws {
        let api = try APIFixture()
        for name in ["a", "b", "c", "d", "e"] {
            let service = ECSServiceReference(cluster: "default", service: name)
            api.directory.add(service, desired: 1)
            try await api.ok("RegisterScalableTarget", APIFixture.web([
                "ResourceId": .string(service.resourceID), "MinCapacity": 1, "MaxCapacity": 3,
            ]))
        }
        var seen: [String] = []
        var token: JSONValue?
        var pages = 0
        repeat {
            var input: [String: JSONValue] = ["ServiceNamespace": "ecs", "MaxResults": 2]
            if let token { input["NextToken"] = token }
            let page = try await api.ok("DescribeScalableTargets", .object(input))
            seen += page[member: "ScalableTargets"]?.arrayValue?.compactMap { $0[member: "ResourceId"]?.stringValue } ?? []
            token = page[member: "NextToken"]
            pages += 1
        } while token != nil && pages < 10
        #expect(pages == 3)
        #expect(seen == ["service/default/a", "service/default/b", "service/default/c", "service/default/d", "service/default/e"])
    }

    @Test("Unsigned requests are refused before the API sees them")
    func unsigned() async throws {
        let api = try APIFixture()
        let response = api.router.handle(try Signing.request("DescribeScalableTargets", ["ServiceNamespace": "ecs"], sign: false))
        #expect(response.status == 400)
        let body = try JSONParser().parse(response.body)
        #expect(body[member: "__type"] == "MissingAuthenticationTokenException")
    }

    @Test("Store failures map to ConcurrentUpdateException or InternalServiceException")
    func storeErrors() {
        let busy = AutoScalingError.from(AutoScalingStoreError.write(reason: "database is locked", busy: true))
        #expect(busy.type == "ConcurrentUpdateException")
        #expect(busy.status == 400)
        let broken = AutoScalingError.from(AutoScalingStoreError.read(reason: "disk I/O error"))
        #expect(broken.type == "InternalServiceException")
        #expect(broken.status == 500)
    }
}
