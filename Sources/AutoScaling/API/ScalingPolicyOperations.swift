import AWSProtocol
import Foundation

extension AutoScalingAPI {
    /// Policy names: 1 to 256 characters, no `:` (AWS's pattern) so ARNs stay parseable.
    static let maximumNameLength = 256

    static func checkName(_ name: String, member: String) throws(AWSServiceError) {
        guard name.count <= maximumNameLength, !name.contains(":"), !name.contains("/") else {
            throw AutoScalingError.validation("\(member) '\(name)' must be 1 to \(maximumNameLength) characters without ':' or '/'")
        }
    }

    func putScalingPolicy(_ members: JSONMembers, region: String) throws(AWSServiceError) -> JSONValue {
        let key = try ScalableTargetKey(members)
        let name = try members.requiredString("PolicyName")
        try Self.checkName(name, member: "PolicyName")
        let givenType = try members.optionalEnum(
            "PolicyType", allowed: [PolicyConfigurationCoding.stepScaling, PolicyConfigurationCoding.targetTracking])
        let policyType: String
        if let givenType {
            policyType = givenType
        } else {
            // AWS requires PolicyType when a policy is created; an update may leave it out and
            // keeps the policy's type.
            let existing = try snapshot { db in
                try store.record(ScalingPolicyRecord.self, db, resourceID: key.resourceID, name: name)?.policyType
            }
            guard let existing else {
                throw AutoScalingError.validation("PolicyType is required when creating a scaling policy")
            }
            policyType = existing
        }
        let configurationMember: String
        let disableScaleIn: Bool
        if policyType == PolicyConfigurationCoding.targetTracking {
            configurationMember = "TargetTrackingScalingPolicyConfiguration"
            guard let configuration = try members.optionalObject(configurationMember) else {
                throw AutoScalingError.validation("TargetTrackingScalingPolicyConfiguration is required for a TargetTrackingScaling policy")
            }
            guard !members.contains("StepScalingPolicyConfiguration") else {
                throw AutoScalingError.validation("StepScalingPolicyConfiguration is not allowed for a TargetTrackingScaling policy")
            }
            disableScaleIn = try PolicyConfigurationCoding.targetTracking(configuration, tuning: tuning).disableScaleIn
        } else {
            configurationMember = "StepScalingPolicyConfiguration"
            guard let configuration = try members.optionalObject(configurationMember) else {
                throw AutoScalingError.validation("StepScalingPolicyConfiguration is required for a StepScaling policy")
            }
            guard !members.contains("TargetTrackingScalingPolicyConfiguration") else {
                throw AutoScalingError.validation("TargetTrackingScalingPolicyConfiguration is not allowed for a StepScaling policy")
            }
            _ = try PolicyConfigurationCoding.stepScaling(configuration)
            disableScaleIn = false
        }
        let configurationText = JSONWriter.string(members.value(configurationMember) ?? .emptyObject)
        let accountID = self.accountID
        let now = self.now

        let record = try transaction { db throws -> ScalingPolicyRecord in
            guard try store.target(db, resourceID: key.resourceID) != nil else { throw AutoScalingError.noTarget(key.resourceID) }
            let previous = try store.record(ScalingPolicyRecord.self, db, resourceID: key.resourceID, name: name)
            if previous == nil, try store.recordCount(ScalingPolicyRecord.self, db, resourceID: key.resourceID) >= Limits.policiesPerTarget {
                throw AutoScalingError.limitExceeded("A scalable target may have at most \(Limits.policiesPerTarget) scaling policies")
            }
            let uuid = previous.flatMap(Self.policyUUID) ?? UUID().uuidString.lowercased()
            var alarms: [ScalingPolicyRecord.Alarm] = []
            if policyType == PolicyConfigurationCoding.targetTracking {
                let prefix = "TargetTracking-\(key.resourceID)"
                var names = ["\(prefix)-AlarmHigh-\(uuid)"]
                if !disableScaleIn { names.append("\(prefix)-AlarmLow-\(uuid)") }
                alarms = names.map { .init(name: $0, arn: AutoScalingARN.alarm(region: region, accountID: accountID, name: $0)) }
            }
            let record = ScalingPolicyRecord(
                arn: previous?.arn ?? AutoScalingARN.scalingPolicy(
                    region: region, accountID: accountID, uuid: uuid, resourceID: key.resourceID, name: name),
                name: name, resourceID: key.resourceID, policyType: policyType, configuration: configurationText,
                alarms: alarms, creationTime: previous?.creationTime ?? now)
            try store.save(record, db)
            return record
        }
        return [
            "PolicyARN": .string(record.arn),
            "Alarms": .array(record.alarms.map { ["AlarmName": .string($0.name), "AlarmARN": .string($0.arn)] }),
        ]
    }

    /// The uuid inside a policy ARN (`...:scalingPolicy:<uuid>:resource/...`).
    static func policyUUID(_ record: ScalingPolicyRecord) -> String? {
        let parts = record.arn.split(separator: ":")
        guard let index = parts.firstIndex(of: "scalingPolicy"), index + 1 < parts.count else { return nil }
        return String(parts[index + 1])
    }

    func describeScalingPolicies(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        try describeTargetScoped(ScalingPolicyRecord.self, members, operation: "DescribeScalingPolicies",
                                 namesMember: "PolicyNames", outputMember: "ScalingPolicies",
                                 maximumResults: Pagination.maximumPolicyResults, render: Self.render)
    }

    func deleteScalingPolicy(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        try deleteTargetScoped(ScalingPolicyRecord.self, members, nameMember: "PolicyName",
                               noun: "scaling policy", nameLabel: "policy name")
    }

    static func render(_ policy: ScalingPolicyRecord) -> JSONValue {
        let configuration = (try? JSONParser().parse(Array(policy.configuration.utf8))) ?? .emptyObject
        let member = policy.policyType == PolicyConfigurationCoding.targetTracking
            ? "TargetTrackingScalingPolicyConfiguration" : "StepScalingPolicyConfiguration"
        return [
            "PolicyARN": .string(policy.arn),
            "PolicyName": .string(policy.name),
            "ServiceNamespace": .string(ScalableTargetKey.namespace),
            "ResourceId": .string(policy.resourceID),
            "ScalableDimension": .string(ScalableTargetKey.dimension),
            "PolicyType": .string(policy.policyType),
            .init(stringLiteral: member): configuration,
            "Alarms": .array(policy.alarms.map { ["AlarmName": .string($0.name), "AlarmARN": .string($0.arn)] }),
            "CreationTime": .timestamp(Date(timeIntervalSince1970: policy.creationTime)),
        ]
    }
}
