import AWSProtocol
import Foundation
import Testing
@testable import SecretsManager

@Suite("Secrets Manager API: describe, list, delete")
struct SecretMetadataAPITests {
    @Test("DescribeSecret gives metadata, tags and versions, never the value")
    func describe() async throws {
        let api = try APIFixture()
        let created = try await api.ok("CreateSecret", [
            "Name": "app", "SecretString": "v1", "Description": "the app's", "Tags": [["Key": "env", "Value": "prod"]],
        ])
        let described = try await api.ok("DescribeSecret", ["SecretId": "app"])
        #expect(described[member: "ARN"] == created[member: "ARN"])
        #expect(described[member: "Name"] == "app")
        #expect(described[member: "Description"] == "the app's")
        #expect(described[member: "Tags"] == [["Key": "env", "Value": "prod"]])
        let versionID = try #require(created[member: "VersionId"]?.stringValue)
        #expect(described[member: "VersionIdsToStages"] == .object([versionID: ["AWSCURRENT"]]))
        #expect(described[member: "CreatedDate"]?.timestampValue == Signing.date)
        #expect(described[member: "LastChangedDate"]?.timestampValue == Signing.date)
        #expect(described[member: "DeletedDate"] == nil)
        #expect(described[member: "SecretString"] == nil)
        _ = try await api.error("DescribeSecret", ["SecretId": "other"], "ResourceNotFoundException")
    }

    @Test("ListSecrets pages by name with NextToken and MaxResults, in either order, with filters")
    func list() async throws {
        let api = try APIFixture()
        for name in ["e", "c", "a", "d", "b"] {
            try await api.ok("CreateSecret", ["Name": .string(name), "SecretString": "x", "Description": .string("about \(name)"),
                                              "Tags": [["Key": "letter", "Value": .string(name)]]])
        }
        var names: [String] = []
        var token: JSONValue = nil
        var pages = 0
        repeat {
            let page = try await api.ok("ListSecrets", ["MaxResults": 2, "NextToken": token])
            let entries = try #require(page[member: "SecretList"]?.arrayValue)
            #expect(entries.count <= 2)
            names += entries.compactMap { $0[member: "Name"]?.stringValue }
            #expect(entries.allSatisfy { $0[member: "SecretVersionsToStages"]?.objectValue?.count == 1 && $0[member: "ARN"] != nil })
            token = page[member: "NextToken"] ?? nil
            pages += 1
        } while token != nil
        #expect(names == ["a", "b", "c", "d", "e"])
        #expect(pages == 3)

        let descending = try await api.ok("ListSecrets", ["SortOrder": "desc", "MaxResults": 3])
        #expect(descending[member: "SecretList"]?.arrayValue?.compactMap { $0[member: "Name"]?.stringValue } == ["e", "d", "c"])
        let rest = try await api.ok("ListSecrets", ["SortOrder": "desc", "NextToken": descending[member: "NextToken"] ?? nil])
        #expect(rest[member: "SecretList"]?.arrayValue?.compactMap { $0[member: "Name"]?.stringValue } == ["b", "a"])
        #expect(rest[member: "NextToken"] == nil)

        let filtered = try await api.ok("ListSecrets", ["Filters": [["Key": "tag-value", "Values": ["b", "d"]]]])
        #expect(filtered[member: "SecretList"]?.arrayValue?.compactMap { $0[member: "Name"]?.stringValue } == ["b", "d"])
        let negated = try await api.ok("ListSecrets", ["Filters": [["Key": "name", "Values": ["!a"]]]])
        #expect(negated[member: "SecretList"]?.arrayValue?.count == 4)

        _ = try await api.error("ListSecrets", ["MaxResults": 101], "InvalidParameterException")
        _ = try await api.error("ListSecrets", ["NextToken": "garbage"], "InvalidNextTokenException")
        let owned = try await api.ok("ListSecrets", ["Filters": [["Key": "owning-service", "Values": ["x"]]]])
        #expect(owned[member: "SecretList"]?.arrayValue?.isEmpty == true)
        _ = try await api.error("ListSecrets", ["Filters": [["Key": "colour", "Values": ["x"]]]], "InvalidParameterException")
        // description and all match words, whatever their case.
        func listed(_ key: String, _ value: String) async throws -> [String] {
            let page = try await api.ok("ListSecrets", ["Filters": [["Key": .string(key), "Values": [.string(value)]]]])
            return page[member: "SecretList"]?.arrayValue?.compactMap { $0[member: "Name"]?.stringValue } ?? []
        }
        #expect(try await listed("description", "ABOUT").count == 5)
        #expect(try await listed("description", "ab c") == ["c"])
        #expect(try await listed("description", "bout").isEmpty)
        #expect(try await listed("all", "LETTER").count == 5)
        #expect(try await listed("all", "!about d") == ["a", "b", "c", "e"])
        _ = try await api.error("ListSecrets", ["SortOrder": "sideways"], "InvalidParameterException")
    }

    @Test("ListSecrets sorts by CreatedDate by default, or by SortBy, and pages through it; GetSecretValue records the day of access")
    func sorting() async throws {
        let api = try APIFixture()
        for name in ["zeta", "alpha", "mid"] {
            try await api.ok("CreateSecret", ["Name": .string(name), "SecretString": "x"])
            api.clock.advance(days: 0.5)
        }
        func names(_ body: JSONValue) async throws -> [String] {
            var all: [String] = []
            var request = body
            repeat {
                let page = try await api.ok("ListSecrets", request)
                all += page[member: "SecretList"]?.arrayValue?.compactMap { $0[member: "Name"]?.stringValue } ?? []
                guard let next = page[member: "NextToken"] else { break }
                request = .object((body.objectValue ?? [:]).merging(["NextToken": next]) { _, new in new })
            } while true
            return all
        }
        #expect(try await names(["MaxResults": 1]) == ["zeta", "alpha", "mid"], "by CreatedDate")
        #expect(try await names(["MaxResults": 2, "SortOrder": "desc"]) == ["mid", "alpha", "zeta"])
        #expect(try await names(["SortBy": "name"]) == ["alpha", "mid", "zeta"])
        try await api.ok("PutSecretValue", ["SecretId": "zeta", "SecretString": "y"])
        #expect(try await names(["SortBy": "last-changed-date", "MaxResults": 1]) == ["alpha", "mid", "zeta"])

        #expect(try await api.ok("DescribeSecret", ["SecretId": "alpha"])[member: "LastAccessedDate"] == nil)
        api.clock.advance(days: 1)
        _ = try await api.ok("GetSecretValue", ["SecretId": "alpha"])
        let accessed = try await api.ok("DescribeSecret", ["SecretId": "alpha"])[member: "LastAccessedDate"]?.timestampValue
        let day = try #require(accessed)
        #expect(day.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 0, "the day of the read, at midnight UTC")
        #expect(try await names(["SortBy": "last-accessed-date", "SortOrder": "desc"]).first == "alpha")
        _ = try await api.error("ListSecrets", ["SortBy": "size"], "InvalidParameterException")
    }

    @Test("DeleteSecret with a recovery window: refused by GetSecretValue, listed only on request, gone after the window")
    func deleteWithRecoveryWindow() async throws {
        let api = try APIFixture()
        let created = try await api.ok("CreateSecret", ["Name": "old", "SecretString": "x"])
        let deleted = try await api.ok("DeleteSecret", ["SecretId": "old", "RecoveryWindowInDays": 7])
        #expect(deleted[member: "ARN"] == created[member: "ARN"])
        #expect(deleted[member: "Name"] == "old")
        #expect(deleted[member: "DeletionDate"]?.timestampValue == Signing.date + 7 * 86_400)

        #expect(try await api.error("GetSecretValue", ["SecretId": "old"], "InvalidRequestException")
            == "You can't perform this operation on the secret because it was marked for deletion.")
        _ = try await api.error("PutSecretValue", ["SecretId": "old", "SecretString": "y"], "InvalidRequestException")
        _ = try await api.error("DeleteSecret", ["SecretId": "old"], "InvalidRequestException")
        _ = try await api.error("CreateSecret", ["Name": "old", "SecretString": "y"], "InvalidRequestException")
        #expect(try await api.ok("DescribeSecret", ["SecretId": "old"])[member: "DeletedDate"]?.timestampValue == Signing.date)
        #expect(try await api.ok("ListSecrets", [:])[member: "SecretList"]?.arrayValue?.isEmpty == true)
        #expect(try await api.ok("ListSecrets", ["IncludePlannedDeletion": true])[member: "SecretList"]?.arrayValue?.count == 1)

        api.clock.advance(days: 7)
        _ = try await api.error("DescribeSecret", ["SecretId": "old"], "ResourceNotFoundException")
        try await api.ok("CreateSecret", ["Name": "old", "SecretString": "again"])
    }

    @Test("DeleteSecret's refusals and the default window; forced deletion is immediate")
    func deleteErrors() async throws {
        let api = try APIFixture()
        try await api.ok("CreateSecret", ["Name": "s", "SecretString": "x"])
        _ = try await api.error("DeleteSecret", ["SecretId": "s", "RecoveryWindowInDays": 6], "InvalidParameterException")
        _ = try await api.error("DeleteSecret", ["SecretId": "s", "RecoveryWindowInDays": 31], "InvalidParameterException")
        _ = try await api.error("DeleteSecret", ["SecretId": "s", "RecoveryWindowInDays": 7, "ForceDeleteWithoutRecovery": true],
                                "InvalidParameterException")
        _ = try await api.error("DeleteSecret", ["SecretId": "nope"], "ResourceNotFoundException")
        let deleted = try await api.ok("DeleteSecret", ["SecretId": "s"])
        #expect(deleted[member: "DeletionDate"]?.timestampValue == Signing.date + 30 * 86_400)
        // A secret scheduled for deletion can still be deleted at once.
        try await api.ok("DeleteSecret", ["SecretId": "s", "ForceDeleteWithoutRecovery": true])
        _ = try await api.error("DescribeSecret", ["SecretId": "s"], "ResourceNotFoundException")
        // Forcing the deletion of a secret that is gone, or never was, succeeds.
        let gone = try await api.ok("DeleteSecret", ["SecretId": "s", "ForceDeleteWithoutRecovery": true])
        #expect(gone[member: "Name"] == "s")
        #expect(gone[member: "ARN"]?.stringValue?.hasPrefix("arn:aws:secretsmanager:eu-west-1:123456789012:secret:s") == true)
        #expect(gone[member: "DeletionDate"]?.timestampValue == Signing.date)
        // A SecretId no name could be is refused as such, not looked up.
        #expect(try await api.error("DescribeSecret", ["SecretId": "Inv Name"], "ValidationException")
            == "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!")
        _ = try await api.error("DeleteSecret", ["SecretId": " Inv*Name? "], "ValidationException")
    }
}
