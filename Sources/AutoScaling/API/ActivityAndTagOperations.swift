import AWSProtocol
import Foundation

extension AutoScalingAPI {
    func describeScalingActivities(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        let resourceIDs = try ScalableTargetKey.resourceFilter(members)
        _ = try members.optionalBool("IncludeNotScaledActivities")
        let operation = "DescribeScalingActivities"
        let request = try Pagination.request(members, operation: operation, keyCount: 2)
        var after: (startTime: Double, activityID: String)?
        if let key = request.after {
            guard let startTime = Double(key[0]), startTime.isFinite else { throw Pagination.invalidToken(operation) }
            after = (startTime, key[1])
        }
        let activities = try snapshot { db in
            try store.activities(db, resourceIDs: resourceIDs, after: after, limit: request.fetchLimit)
        }
        // The start time as Swift writes a Double: the shortest text that reads back exactly.
        let page = request.page(activities) { ["\($0.startTime)", $0.activityID] }
        return Pagination.output(["ScalingActivities": .array(page.items.map(Self.render))], nextToken: page.nextToken)
    }

    static func render(_ activity: ScalingActivity) -> JSONValue {
        var members: [String: JSONValue] = [
            "ActivityId": .string(activity.activityID),
            "ServiceNamespace": .string(ScalableTargetKey.namespace),
            "ResourceId": .string(activity.resourceID),
            "ScalableDimension": .string(ScalableTargetKey.dimension),
            "Description": .string(activity.description),
            "Cause": .string(activity.cause),
            "StartTime": .timestamp(Date(timeIntervalSince1970: activity.startTime)),
            "StatusCode": .string(activity.status.rawValue),
        ]
        if let end = activity.endTime { members["EndTime"] = .timestamp(Date(timeIntervalSince1970: end)) }
        if let message = activity.statusMessage { members["StatusMessage"] = .string(message) }
        if let details = activity.details { members["Details"] = .string(details) }
        return .object(members)
    }

    func tagResource(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        let arn = try members.requiredString("ResourceARN")
        guard let tags = try members.optionalStringMap("Tags"), !tags.isEmpty else {
            throw AutoScalingError.validation("Tags must contain at least one tag")
        }
        try TagOperations.validate(tags)
        try transaction { db in
            guard try store.target(db, arn: arn) != nil else { throw AutoScalingError.resourceNotFound(arn) }
            let existing = try store.tags(db, arn: arn)
            let total = existing.merging(tags) { $1 }.count
            guard total <= Limits.tagsPerResource else {
                throw AutoScalingError.tooManyTags("A resource may have at most \(Limits.tagsPerResource) tags")
            }
            for (key, value) in tags { try store.setTag(arn: arn, key: key, value: value, db) }
        }
        return .emptyObject
    }

    func untagResource(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        let arn = try members.requiredString("ResourceARN")
        let keys = try members.requiredStringList("TagKeys", count: 1...Limits.tagsPerResource)
        try transaction { db in
            guard try store.target(db, arn: arn) != nil else { throw AutoScalingError.resourceNotFound(arn) }
            for key in keys { try store.removeTag(arn: arn, key: key, db) }
        }
        return .emptyObject
    }

    func listTagsForResource(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        let arn = try members.requiredString("ResourceARN")
        let tags = try snapshot { db throws -> [String: String] in
            guard try store.target(db, arn: arn) != nil else { throw AutoScalingError.resourceNotFound(arn) }
            return try store.tags(db, arn: arn)
        }
        return ["Tags": .object(tags.mapValues { .string($0) })]
    }
}

/// Tag rules as AWS states them.
enum TagOperations {
    static let maximumKeyLength = 128
    static let maximumValueLength = 256

    static func validate(_ tags: [String: String]) throws(AWSServiceError) {
        guard tags.count <= AutoScalingAPI.Limits.tagsPerResource else {
            throw AutoScalingError.tooManyTags("A resource may have at most \(AutoScalingAPI.Limits.tagsPerResource) tags")
        }
        for (key, value) in tags {
            guard !key.isEmpty, key.count <= maximumKeyLength else {
                throw AutoScalingError.validation("Tag key '\(key)' must be 1 to \(maximumKeyLength) characters")
            }
            guard !key.lowercased().hasPrefix("aws:") else {
                throw AutoScalingError.validation("Tag keys may not start with 'aws:' ('\(key)')")
            }
            guard value.count <= maximumValueLength else {
                throw AutoScalingError.validation("Tag value for '\(key)' must be at most \(maximumValueLength) characters")
            }
        }
    }
}
