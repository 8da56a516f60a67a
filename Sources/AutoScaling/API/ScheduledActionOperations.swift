import AWSProtocol
import Autoscaler
import Foundation

extension AutoScalingAPI {
    /// Time zones Wharf evaluates schedules in (UTC only).
    static let supportedTimezones: Set<String> = ["UTC", "Etc/UTC", "Etc/GMT", "GMT"]

    func putScheduledAction(_ members: JSONMembers, region: String) throws(AWSServiceError) -> JSONValue {
        let key = try ScalableTargetKey(members)
        let name = try members.requiredString("ScheduledActionName")
        try Self.checkName(name, member: "ScheduledActionName")
        let schedule = try members.optionalString("Schedule")
        if let schedule {
            do {
                _ = try ScheduleExpression(parsing: schedule)
            } catch {
                throw AutoScalingError.validation(error.description)
            }
        }
        let timezone = try members.optionalString("Timezone")
        if let timezone, !Self.supportedTimezones.contains(timezone) {
            throw AutoScalingError.validation("Unsupported Timezone '\(timezone)': Wharf evaluates schedules in UTC only")
        }
        let startTime = try members.optionalTimestamp("StartTime")?.timeIntervalSince1970
        let endTime = try members.optionalTimestamp("EndTime")?.timeIntervalSince1970
        let action = try members.optionalObject("ScalableTargetAction")
        let minimum = try action?.optionalInt("MinCapacity", range: 0...Int(Int32.max))
        let maximum = try action?.optionalInt("MaxCapacity", range: 0...Int(Int32.max))
        if let minimum, let maximum, minimum > maximum {
            throw AutoScalingError.validation("Minimum capacity (\(minimum)) cannot be greater than maximum capacity (\(maximum))")
        }
        let accountID = self.accountID
        let now = self.now

        try transaction { db in
            guard try store.target(db, resourceID: key.resourceID) != nil else { throw AutoScalingError.noTarget(key.resourceID) }
            var record: ScheduledActionRecord
            if let previous = try store.record(ScheduledActionRecord.self, db, resourceID: key.resourceID, name: name) {
                record = previous
                if let schedule { record.schedule = schedule }
                if let timezone { record.timezone = timezone }
                if members.contains("StartTime") { record.startTime = startTime }
                if members.contains("EndTime") { record.endTime = endTime }
                if action != nil { (record.minCapacity, record.maxCapacity) = (minimum, maximum) }
            } else {
                guard let schedule else { throw AutoScalingError.validation("Schedule is required for a new scheduled action") }
                guard try store.recordCount(ScheduledActionRecord.self, db, resourceID: key.resourceID) < Limits.scheduledActionsPerTarget else {
                    throw AutoScalingError.limitExceeded("A scalable target may have at most \(Limits.scheduledActionsPerTarget) scheduled actions")
                }
                record = ScheduledActionRecord(
                    arn: AutoScalingARN.scheduledAction(
                        region: region, accountID: accountID, uuid: UUID().uuidString.lowercased(), resourceID: key.resourceID, name: name),
                    name: name, resourceID: key.resourceID, schedule: schedule, timezone: timezone ?? "UTC",
                    startTime: startTime, endTime: endTime, minCapacity: minimum, maxCapacity: maximum, creationTime: now)
            }
            if let start = record.startTime, let end = record.endTime, end <= start {
                throw AutoScalingError.validation("EndTime must be after StartTime")
            }
            try store.save(record, db)
        }
        return .emptyObject
    }

    func describeScheduledActions(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        try describeTargetScoped(ScheduledActionRecord.self, members, operation: "DescribeScheduledActions",
                                 namesMember: "ScheduledActionNames", outputMember: "ScheduledActions", render: Self.render)
    }

    func deleteScheduledAction(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        try deleteTargetScoped(ScheduledActionRecord.self, members, nameMember: "ScheduledActionName",
                               noun: "scheduled action", nameLabel: "scheduled action name")
    }

    static func render(_ action: ScheduledActionRecord) -> JSONValue {
        var members: [String: JSONValue] = [
            "ScheduledActionName": .string(action.name),
            "ScheduledActionARN": .string(action.arn),
            "ServiceNamespace": .string(ScalableTargetKey.namespace),
            "Schedule": .string(action.schedule),
            "Timezone": .string(action.timezone),
            "ResourceId": .string(action.resourceID),
            "ScalableDimension": .string(ScalableTargetKey.dimension),
            "CreationTime": .timestamp(Date(timeIntervalSince1970: action.creationTime)),
        ]
        if let start = action.startTime { members["StartTime"] = .timestamp(Date(timeIntervalSince1970: start)) }
        if let end = action.endTime { members["EndTime"] = .timestamp(Date(timeIntervalSince1970: end)) }
        var target: [String: JSONValue] = [:]
        if let minimum = action.minCapacity { target["MinCapacity"] = .int(minimum) }
        if let maximum = action.maxCapacity { target["MaxCapacity"] = .int(maximum) }
        if !target.isEmpty { members["ScalableTargetAction"] = .object(target) }
        return .object(members)
    }
}
