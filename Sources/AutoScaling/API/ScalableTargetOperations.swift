import AWSProtocol
import Foundation

extension AutoScalingAPI {
    func registerScalableTarget(_ members: JSONMembers, region: String) throws(AWSServiceError) -> JSONValue {
        let key = try ScalableTargetKey(members)
        let minimum = try members.optionalInt("MinCapacity", range: 0...Int(Int32.max))
        let maximum = try members.optionalInt("MaxCapacity", range: 0...Int(Int32.max))
        let role = try members.optionalString("RoleARN")
        let suspended = try members.optionalObject("SuspendedState")
        let suspendIn = try suspended?.optionalBool("DynamicScalingInSuspended")
        let suspendOut = try suspended?.optionalBool("DynamicScalingOutSuspended")
        let suspendScheduled = try suspended?.optionalBool("ScheduledScalingSuspended")
        let tags = try members.optionalStringMap("Tags") ?? [:]
        try TagOperations.validate(tags)

        let exists: Bool
        do {
            exists = try directory.capacity(of: key.service) != nil
        } catch {
            throw AutoScalingError.internalService("Could not look up ECS service \(key.resourceID): \(error)")
        }
        guard exists else { throw AutoScalingError.validation("ECS service doesn't exist: \(key.resourceID)") }

        let accountID = self.accountID
        let now = self.now
        let record = try transaction { db throws -> ScalableTargetRecord in
            var record: ScalableTargetRecord
            if let existing = try store.target(db, resourceID: key.resourceID) {
                record = existing
                if let minimum { record.minCapacity = minimum }
                if let maximum { record.maxCapacity = maximum }
                if let role { record.roleARN = role }
            } else {
                guard let minimum, let maximum else {
                    throw AutoScalingError.validation("MinCapacity and MaxCapacity are required for registering a new scalable target")
                }
                guard try store.targetCount(db) < Limits.scalableTargets else {
                    throw AutoScalingError.limitExceeded("The maximum number of scalable targets (\(Limits.scalableTargets)) has been reached")
                }
                let id = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
                record = ScalableTargetRecord(
                    resourceID: key.resourceID, arn: AutoScalingARN.scalableTarget(region: region, accountID: accountID, id: id),
                    minCapacity: minimum, maxCapacity: maximum, roleARN: role ?? AutoScalingARN.defaultRole(accountID: accountID),
                    dynamicScalingInSuspended: false, dynamicScalingOutSuspended: false, scheduledScalingSuspended: false,
                    creationTime: now, region: region)
                for (tagKey, value) in tags { try store.setTag(arn: record.arn, key: tagKey, value: value, db) }
            }
            if let suspendIn { record.dynamicScalingInSuspended = suspendIn }
            if let suspendOut { record.dynamicScalingOutSuspended = suspendOut }
            if let suspendScheduled { record.scheduledScalingSuspended = suspendScheduled }
            guard record.minCapacity <= record.maxCapacity else {
                throw AutoScalingError.validation(
                    "Minimum capacity (\(record.minCapacity)) cannot be greater than maximum capacity (\(record.maxCapacity))")
            }
            try store.save(record, db)
            return record
        }
        return ["ScalableTargetARN": .string(record.arn)]
    }

    func describeScalableTargets(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        let resourceIDs = try ScalableTargetKey.resourceFilter(members)
        let request = try Pagination.request(members, operation: "DescribeScalableTargets", keyCount: 1)
        let targets = try snapshot { db in
            try store.targets(db, resourceIDs: resourceIDs, after: request.after?.first, limit: request.fetchLimit)
        }
        let page = request.page(targets) { [$0.resourceID] }
        return Pagination.output(["ScalableTargets": .array(page.items.map(Self.render))], nextToken: page.nextToken)
    }

    func deregisterScalableTarget(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        let key = try ScalableTargetKey(members)
        try transaction { db in
            guard let target = try store.target(db, resourceID: key.resourceID) else { throw AutoScalingError.noTarget(key.resourceID) }
            try store.deleteTarget(target, db)
        }
        return .emptyObject
    }

    static func render(_ target: ScalableTargetRecord) -> JSONValue {
        [
            "ServiceNamespace": .string(ScalableTargetKey.namespace),
            "ResourceId": .string(target.resourceID),
            "ScalableDimension": .string(ScalableTargetKey.dimension),
            "MinCapacity": .int(target.minCapacity),
            "MaxCapacity": .int(target.maxCapacity),
            "RoleARN": .string(target.roleARN),
            "CreationTime": .timestamp(Date(timeIntervalSince1970: target.creationTime)),
            "SuspendedState": [
                "DynamicScalingInSuspended": .bool(target.dynamicScalingInSuspended),
                "DynamicScalingOutSuspended": .bool(target.dynamicScalingOutSuspended),
                "ScheduledScalingSuspended": .bool(target.scheduledScalingSuspended),
            ],
            "ScalableTargetARN": .string(target.arn),
        ]
    }
}
