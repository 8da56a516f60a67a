import AWSProtocol
import Foundation

/// The output shapes of botocore's model: DescribeSecret's response and ListSecrets'
/// `SecretListEntry` share their members but for the version map's name.
enum SecretRendering {
    static func time(_ seconds: Double) -> JSONValue {
        .timestamp(Date(timeIntervalSince1970: seconds))
    }

    static func tags(_ tags: [SecretTag]) -> JSONValue {
        .array(tags.map { .object(["Key": .string($0.key), "Value": .string($0.value)]) })
    }

    static func versionsToStages(_ secret: SecretRecord) -> JSONValue {
        var map: [String: JSONValue] = [:]
        for version in secret.versions { map[version.id] = .strings(version.stages) }
        return .object(map)
    }

    /// DescribeSecret's output (`versionMember` `VersionIdsToStages`) or a ListSecrets entry
    /// (`SecretVersionsToStages`).
    static func metadata(_ secret: SecretRecord, versionMember: String) -> JSONValue {
        var members: [String: JSONValue] = [
            "ARN": .string(secret.arn),
            "Name": .string(secret.name),
            "CreatedDate": time(secret.createdDate),
            "LastChangedDate": time(secret.lastChangedDate),
        ]
        // An empty description is shown as none, as AWS shows it.
        if let description = secret.description, !description.isEmpty { members["Description"] = .string(description) }
        if let accessed = secret.lastAccessedDate { members["LastAccessedDate"] = time(accessed) }
        if !secret.tags.isEmpty { members["Tags"] = tags(secret.tags) }
        if !secret.versions.isEmpty { members[versionMember] = versionsToStages(secret) }
        if let deleted = secret.deletedDate { members["DeletedDate"] = time(deleted) }
        return .object(members)
    }

    /// GetSecretValue's output.
    static func value(_ secret: SecretRecord, _ version: SecretVersion) -> JSONValue {
        var members: [String: JSONValue] = [
            "ARN": .string(secret.arn),
            "Name": .string(secret.name),
            "VersionId": .string(version.id),
            "VersionStages": .strings(version.stages),
            "CreatedDate": time(version.createdDate),
        ]
        if let string = version.secretString { members["SecretString"] = .string(string) }
        if let binary = version.secretBinary { members["SecretBinary"] = .string(binary) }
        return .object(members)
    }
}
