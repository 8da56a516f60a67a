import AWSProtocol
import Testing
@testable import AutoScaling

@Suite("Application Auto Scaling API: scaling policies")
struct ScalingPolicyAPITests {
    @Test("PutScalingPolicy (target tracking) returns the policy ARN and its two alarms; describe echoes it")
    func targetTracking() async throws {
        let api = try APIFixture()
        try await api.registerWeb()
        let put = try await api.putRequestPolicy(extra: ["ScaleOutCooldown": 0, "ScaleInCooldown": 60])
        let arn = try #require(put[member: "PolicyARN"]?.stringValue)
        #expect(arn.hasPrefix("arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:"))
        #expect(arn.hasSuffix(":resource/ecs/service/default/web:policyName/web-requests"))
        let alarms = try #require(put[member: "Alarms"]?.arrayValue)
        #expect(alarms.count == 2)
        let names = alarms.compactMap { $0[member: "AlarmName"]?.stringValue }
        #expect(names.contains { $0.hasPrefix("TargetTracking-service/default/web-AlarmHigh-") })
        #expect(names.contains { $0.hasPrefix("TargetTracking-service/default/web-AlarmLow-") })
        #expect(alarms.allSatisfy { $0[member: "AlarmARN"]?.stringValue?.hasPrefix("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:") == true })

        let described = try await api.ok("DescribeScalingPolicies", ["ServiceNamespace": "ecs", "ResourceId": "service/default/web"])
        let policy = try #require(described[member: "ScalingPolicies"]?.arrayValue?.first)
        #expect(policy[member: "PolicyARN"]?.stringValue == arn)
        #expect(policy[member: "PolicyName"] == "web-requests")
        #expect(policy[member: "PolicyType"] == "TargetTrackingScaling")
        let configuration = policy[member: "TargetTrackingScalingPolicyConfiguration"]
        #expect(configuration?[member: "TargetValue"]?.doubleValue == 600)
        #expect(configuration?[member: "ScaleInCooldown"] == 60)
        #expect(configuration?[member: "PredefinedMetricSpecification"]?[member: "ResourceLabel"]?.stringValue == APIFixture.label)

        // Putting it again updates it under the same ARN; with scale-in disabled only the high alarm is left.
        let updated = try await api.putRequestPolicy(target: 900, extra: ["DisableScaleIn": true])
        #expect(updated[member: "PolicyARN"]?.stringValue == arn)
        #expect(updated[member: "Alarms"]?.arrayValue?.count == 1)
        let again = try await api.ok("DescribeScalingPolicies", ["ServiceNamespace": "ecs", "PolicyNames": ["web-requests"]])
        #expect(again[member: "ScalingPolicies"]?.arrayValue?.count == 1)
        #expect(again[member: "ScalingPolicies"]?.arrayValue?.first?[member: "TargetTrackingScalingPolicyConfiguration"]?[member: "TargetValue"]?
            .doubleValue == 900)

        // An update may leave PolicyType out (the policy keeps its type); a new policy may not.
        let untyped = try await api.ok("PutScalingPolicy", APIFixture.web([
            "PolicyName": "web-requests",
            "TargetTrackingScalingPolicyConfiguration": ["TargetValue": 700, "PredefinedMetricSpecification": [
                "PredefinedMetricType": "ALBRequestCountPerTarget", "ResourceLabel": .string(APIFixture.label)]],
        ]))
        #expect(untyped[member: "PolicyARN"]?.stringValue == arn)
        let missing = try await api.error("PutScalingPolicy", APIFixture.web([
            "PolicyName": "new-policy",
            "TargetTrackingScalingPolicyConfiguration": ["TargetValue": 700, "PredefinedMetricSpecification": [
                "PredefinedMetricType": "ALBRequestCountPerTarget", "ResourceLabel": .string(APIFixture.label)]],
        ]), "ValidationException")
        #expect(missing.contains("PolicyType"))
    }

    @Test("CPU, memory and Wharf's custom metrics are accepted")
    func otherMetrics() async throws {
        let api = try APIFixture()
        try await api.registerWeb()
        for type in ["ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization"] {
            try await api.ok("PutScalingPolicy", APIFixture.web([
                "PolicyName": .string(type), "PolicyType": "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration": ["TargetValue": 70, "PredefinedMetricSpecification": ["PredefinedMetricType": .string(type)]],
            ]))
        }
        try await api.ok("PutScalingPolicy", APIFixture.web([
            "PolicyName": "latency", "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": [
                "TargetValue": 0.2,
                "CustomizedMetricSpecification": [
                    "MetricName": "TargetResponseTime", "Namespace": "AWS/ApplicationELB", "Statistic": "Average",
                    "Dimensions": [
                        ["Name": "LoadBalancer", "Value": "app/web-lb/50dc6c495c0c9188"],
                        ["Name": "TargetGroup", "Value": "targetgroup/web/73e2d6bc24d8a067"],
                    ],
                ],
            ],
        ]))
        let described = try await api.ok("DescribeScalingPolicies", ["ServiceNamespace": "ecs"])
        #expect(described[member: "ScalingPolicies"]?.arrayValue?.count == 3)
        let records = try api.store.read { db in try api.store.records(ScalingPolicyRecord.self, db, resourceID: nil) }
        let kinds = try records.map { try PolicyConfigurationCoding.policy($0, tuning: .standard) }.flatMap(\.metrics)
        #expect(Set(kinds.map(\.description)) == [
            "ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization", "TargetResponseTime(\(APIFixture.label))",
        ])
    }

    @Test("Step scaling policies are stored with their steps and validated as AWS does")
    func stepScaling() async throws {
        let api = try APIFixture()
        try await api.registerWeb()
        let put = try await api.ok("PutScalingPolicy", APIFixture.web([
            "PolicyName": "cpu-steps", "PolicyType": "StepScaling",
            "StepScalingPolicyConfiguration": [
                "AdjustmentType": "PercentChangeInCapacity", "MinAdjustmentMagnitude": 2, "Cooldown": 60,
                "MetricAggregationType": "Maximum",
                "StepAdjustments": [
                    ["MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 50],
                    ["MetricIntervalLowerBound": 20, "ScalingAdjustment": 100],
                ],
                "WharfAlarm": ["MetricType": "ECSServiceAverageCPUUtilization", "ComparisonOperator": "GreaterThanThreshold",
                               "Threshold": 70, "EvaluationSeconds": 5],
            ],
        ]))
        #expect(put[member: "Alarms"]?.arrayValue?.isEmpty == true)
        #expect(put[member: "PolicyARN"]?.stringValue?.hasSuffix(":policyName/cpu-steps") == true)
        let described = try await api.ok("DescribeScalingPolicies", ["ServiceNamespace": "ecs"])
        let steps = described[member: "ScalingPolicies"]?.arrayValue?.first?[member: "StepScalingPolicyConfiguration"]?[member: "StepAdjustments"]
        #expect(steps?.arrayValue?.count == 2)

        let gap = try await api.error("PutScalingPolicy", APIFixture.web([
            "PolicyName": "bad", "PolicyType": "StepScaling",
            "StepScalingPolicyConfiguration": [
                "AdjustmentType": "ChangeInCapacity",
                "StepAdjustments": [
                    ["MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 1],
                    ["MetricIntervalLowerBound": 20, "ScalingAdjustment": 2],
                ],
            ],
        ]), "ValidationException")
        #expect(gap.contains("gaps"))
        _ = try await api.error("PutScalingPolicy", APIFixture.web([
            "PolicyName": "bad", "PolicyType": "StepScaling",
            "StepScalingPolicyConfiguration": ["AdjustmentType": "Sideways", "StepAdjustments": [["ScalingAdjustment": 1]]],
        ]), "ValidationException")
        _ = try await api.error("PutScalingPolicy", APIFixture.web(["PolicyName": "bad", "PolicyType": "StepScaling"]), "ValidationException")
    }

    @Test("Target-tracking refusals")
    func refusals() async throws {
        let api = try APIFixture()
        // No target registered yet.
        let notRegistered = try await api.error("PutScalingPolicy", APIFixture.web([
            "PolicyName": "p", "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": ["TargetValue": 50, "PredefinedMetricSpecification": ["PredefinedMetricType": "ECSServiceAverageCPUUtilization"]],
        ]), "ObjectNotFoundException")
        #expect(notRegistered.hasPrefix("No scalable target registered"))
        try await api.registerWeb()
        let label = try await api.error("PutScalingPolicy", APIFixture.web([
            "PolicyName": "p", "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": ["TargetValue": 50, "PredefinedMetricSpecification": ["PredefinedMetricType": "ALBRequestCountPerTarget"]],
        ]), "ValidationException")
        #expect(label.contains("ResourceLabel"))
        _ = try await api.error("PutScalingPolicy", APIFixture.web([
            "PolicyName": "p", "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": ["TargetValue": 50, "PredefinedMetricSpecification": [
                "PredefinedMetricType": "ALBRequestCountPerTarget", "ResourceLabel": "targetgroup/web/1"]],
        ]), "ValidationException")
        _ = try await api.error("PutScalingPolicy", APIFixture.web([
            "PolicyName": "p", "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": ["PredefinedMetricSpecification": ["PredefinedMetricType": "ECSServiceAverageCPUUtilization"]],
        ]), "ValidationException")
        _ = try await api.error("PutScalingPolicy", APIFixture.web([
            "PolicyName": "p", "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": ["TargetValue": 50, "PredefinedMetricSpecification": ["PredefinedMetricType": "DynamoDBReadCapacityUtilization"]],
        ]), "ValidationException")
        _ = try await api.error("PutScalingPolicy", APIFixture.web(["PolicyName": "p", "PolicyType": "TargetTrackingScaling"]), "ValidationException")
    }

    @Test("DeleteScalingPolicy removes it; a second delete is ObjectNotFoundException")
    func delete() async throws {
        let api = try APIFixture()
        try await api.registerWeb()
        _ = try await api.putRequestPolicy()
        try await api.ok("DeleteScalingPolicy", APIFixture.web(["PolicyName": "web-requests"]))
        let described = try await api.ok("DescribeScalingPolicies", ["ServiceNamespace": "ecs"])
        #expect(described[member: "ScalingPolicies"]?.arrayValue?.isEmpty == true)
        let message = try await api.error("DeleteScalingPolicy", APIFixture.web(["PolicyName": "web-requests"]), "ObjectNotFoundException")
        #expect(message.hasSuffix("policy name: web-requests"))
    }

    @Test("More policies than the per-target limit is LimitExceededException")
    func limit() async throws {
        let api = try APIFixture()
        try await api.registerWeb()
        for index in 0..<AutoScalingAPI.Limits.policiesPerTarget {
            _ = try await api.putRequestPolicy(name: "p\(index)")
        }
        _ = try await api.error("PutScalingPolicy", APIFixture.web([
            "PolicyName": "one-too-many", "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": ["TargetValue": 50, "PredefinedMetricSpecification": ["PredefinedMetricType": "ECSServiceAverageCPUUtilization"]],
        ]), "LimitExceededException")
        // Updating an existing one is still allowed.
        _ = try await api.putRequestPolicy(name: "p0", target: 700)
    }
}
