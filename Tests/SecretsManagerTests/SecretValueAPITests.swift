import AWSProtocol
import Foundation
import Testing
@testable import SecretsManager

@Suite("Secrets Manager API: values")
struct SecretValueAPITests {
    static let credentials = #"{"username":"robot","password":"s3cret"}"#

    @Test("CreateSecret makes an ARN with six random characters; GetSecretValue by name, ARN and partial ARN")
    func createAndGet() async throws {
        let api = try APIFixture()
        let created = try await api.ok("CreateSecret", [
            "Name": "team/registry", "SecretString": .string(Self.credentials), "Description": "pull credentials",
            "Tags": [["Key": "team", "Value": "web"]],
        ])
        let arn = try #require(created[member: "ARN"]?.stringValue)
        let prefix = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:team/registry-"
        #expect(arn.hasPrefix(prefix))
        let suffix = arn.dropFirst(prefix.count)
        #expect(suffix.count == 6 && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(created[member: "Name"] == "team/registry")
        let versionID = try #require(created[member: "VersionId"]?.stringValue)

        for id in ["team/registry", arn, String(prefix.dropLast())] {
            let value = try await api.ok("GetSecretValue", ["SecretId": .string(id)])
            #expect(value[member: "ARN"]?.stringValue == arn)
            #expect(value[member: "Name"] == "team/registry")
            #expect(value[member: "SecretString"]?.stringValue == Self.credentials)
            #expect(value[member: "VersionId"]?.stringValue == versionID)
            #expect(value[member: "VersionStages"] == ["AWSCURRENT"])
            #expect(value[member: "CreatedDate"]?.timestampValue == Signing.date)
        }
        // A partial ARN with a wrong name, or an ARN with another suffix, names nothing.
        _ = try await api.error("GetSecretValue", ["SecretId": .string(prefix + "zzzzzz")], "ResourceNotFoundException")
        _ = try await api.error("GetSecretValue", ["SecretId": .string(prefix.dropLast() + "x")], "ResourceNotFoundException")

        // Another secret of the same name gets another ARN (after the first is gone).
        try await api.ok("DeleteSecret", ["SecretId": "team/registry", "ForceDeleteWithoutRecovery": true])
        let again = try await api.ok("CreateSecret", ["Name": "team/registry", "SecretString": "x"])
        #expect(again[member: "ARN"]?.stringValue?.hasPrefix(prefix) == true)
        #expect(again[member: "ARN"]?.stringValue != arn)
    }

    @Test("PutSecretValue makes the new version AWSCURRENT and the old one AWSPREVIOUS; tokens are idempotent")
    func putSecretValue() async throws {
        let api = try APIFixture()
        let token1 = "11111111-1111-1111-1111-111111111111"
        let token2 = "22222222-2222-2222-2222-222222222222"
        let token3 = "33333333-3333-3333-3333-333333333333"
        try await api.ok("CreateSecret", ["Name": "db", "SecretString": "one", "ClientRequestToken": .string(token1)])
        let put = try await api.ok("PutSecretValue", ["SecretId": "db", "SecretString": "two", "ClientRequestToken": .string(token2)])
        #expect(put[member: "VersionId"]?.stringValue == token2)
        #expect(put[member: "VersionStages"] == ["AWSCURRENT"])
        #expect(try await api.ok("GetSecretValue", ["SecretId": "db"])[member: "SecretString"] == "two")
        let previous = try await api.ok("GetSecretValue", ["SecretId": "db", "VersionStage": "AWSPREVIOUS"])
        #expect(previous[member: "SecretString"] == "one")
        #expect(previous[member: "VersionId"]?.stringValue == token1)
        #expect(try await api.ok("GetSecretValue", ["SecretId": "db", "VersionId": .string(token1)])[member: "SecretString"] == "one")

        // The same token and value again: nothing changes. Another value: refused.
        let retried = try await api.ok("PutSecretValue", ["SecretId": "db", "SecretString": "two", "ClientRequestToken": .string(token2)])
        #expect(retried[member: "VersionId"]?.stringValue == token2)
        _ = try await api.error("PutSecretValue", ["SecretId": "db", "SecretString": "three", "ClientRequestToken": .string(token2)],
                                "ResourceExistsException")

        // A third version: the first, left without a label, is gone.
        try await api.ok("PutSecretValue", ["SecretId": "db", "SecretString": "three", "ClientRequestToken": .string(token3)])
        let described = try await api.ok("DescribeSecret", ["SecretId": "db"])
        #expect(described[member: "VersionIdsToStages"] == .object([token2: ["AWSPREVIOUS"], token3: ["AWSCURRENT"]]))
        _ = try await api.error("GetSecretValue", ["SecretId": "db", "VersionId": .string(token1)], "ResourceNotFoundException")

        // A custom label leaves AWSCURRENT where it is.
        let staged = try await api.ok("PutSecretValue", ["SecretId": "db", "SecretString": "next", "VersionStages": ["NEXT"]])
        #expect(staged[member: "VersionStages"] == ["NEXT"])
        #expect(try await api.ok("GetSecretValue", ["SecretId": "db"])[member: "SecretString"] == "three")
        #expect(try await api.ok("GetSecretValue", ["SecretId": "db", "VersionStage": "NEXT"])[member: "SecretString"] == "next")
    }

    @Test("CreateSecret retried with its ClientRequestToken and value answers as the first call did")
    func createSecretRetry() async throws {
        let api = try APIFixture()
        let token = "44444444-4444-4444-4444-444444444444"
        let request: JSONValue = ["Name": "retried", "SecretString": "one", "ClientRequestToken": .string(token)]
        let created = try await api.ok("CreateSecret", request)
        #expect(created[member: "VersionId"]?.stringValue == token)
        let retried = try await api.ok("CreateSecret", request)
        #expect(retried == created)
        let described = try await api.ok("DescribeSecret", ["SecretId": "retried"])
        #expect(described[member: "VersionIdsToStages"] == .object([token: ["AWSCURRENT"]]))

        // The same token with another value, another token, or none: the secret exists.
        #expect(try await api.error("CreateSecret", ["Name": "retried", "SecretString": "two", "ClientRequestToken": .string(token)],
                                    "ResourceExistsException")
            == "You can't modify an existing version, you can only create a new version.")
        _ = try await api.error("CreateSecret", ["Name": "retried", "SecretString": "one",
                                                 "ClientRequestToken": "55555555-5555-5555-5555-555555555555"], "ResourceExistsException")
        _ = try await api.error("CreateSecret", ["Name": "retried", "SecretString": "one"], "ResourceExistsException")
        // A token that is now AWSPREVIOUS still names its version: the retry still answers.
        try await api.ok("PutSecretValue", ["SecretId": "retried", "SecretString": "two"])
        #expect(try await api.ok("CreateSecret", request) == created)
        #expect(try await api.ok("GetSecretValue", ["SecretId": "retried"])[member: "SecretString"] == "two")
    }

    @Test("A secret without a value, SecretBinary, and the refusals of the value operations")
    func valueErrors() async throws {
        let api = try APIFixture()
        let empty = try await api.ok("CreateSecret", ["Name": "later"])
        #expect(empty[member: "VersionId"] == nil)
        let message = try await api.error("GetSecretValue", ["SecretId": "later"], "ResourceNotFoundException")
        #expect(message == "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT")

        let binary = Data([0, 1, 2, 255]).base64EncodedString()
        try await api.ok("CreateSecret", ["Name": "blob", "SecretBinary": .string(binary)])
        let value = try await api.ok("GetSecretValue", ["SecretId": "blob"])
        #expect(value[member: "SecretBinary"]?.stringValue == binary)
        #expect(value[member: "SecretString"] == nil)

        #expect(try await api.error("CreateSecret", ["Name": "blob", "SecretString": "x"], "ResourceExistsException")
            == "The operation failed because the secret blob already exists.")
        _ = try await api.error("CreateSecret", ["Name": "both", "SecretString": "x", "SecretBinary": .string(binary)],
                                "InvalidParameterException")
        _ = try await api.error("CreateSecret", ["Name": "bad name?", "SecretString": "x"], "ValidationException")
        _ = try await api.error("CreateSecret", ["Name": .string(String(repeating: "n", count: 513))], "ValidationException")
        _ = try await api.error("CreateSecret", ["Name": "big", "SecretString": .string(String(repeating: "x", count: 65_537))],
                                "ValidationException")
        _ = try await api.error("CreateSecret", ["Name": "nobinary", "SecretBinary": "not base64!"], "ValidationException")
        _ = try await api.error("CreateSecret", ["Name": "short", "SecretString": "x", "ClientRequestToken": "abc"], "ValidationException")
        _ = try await api.error("CreateSecret", ["SecretString": "x"], "InvalidParameterException")
        _ = try await api.error("CreateSecret", ["Name": "tagged", "Tags": [["Key": "a", "Value": "1"], ["Key": "a", "Value": "2"]]],
                                "InvalidParameterException")
        _ = try await api.error("CreateSecret", ["Name": 5], "SerializationException")
        #expect(try await api.error("GetSecretValue", ["SecretId": "nope"], "ResourceNotFoundException")
            == "Secrets Manager can't find the specified secret.")
        _ = try await api.error("GetSecretValue", [:], "InvalidParameterException")
        _ = try await api.error("PutSecretValue", ["SecretId": "blob"], "InvalidParameterException")
        _ = try await api.error("PutSecretValue", ["SecretId": "nope", "SecretString": "x"], "ResourceNotFoundException")
        _ = try await api.error("PutSecretValue", ["SecretId": "blob", "SecretString": "x", "VersionStages": []], "ValidationException")
        _ = try await api.error("GetSecretValue", ["SecretId": "blob", "VersionStage": "NOPE"], "ResourceNotFoundException")
        let blobVersion = try #require(value[member: "VersionId"]?.stringValue)
        #expect(try await api.error("GetSecretValue", ["SecretId": "blob", "VersionId": .string(blobVersion), "VersionStage": "AWSPREVIOUS"],
                                    "InvalidRequestException")
            == "You provided a VersionStage that is not associated to the provided VersionId.")

        // The first version a secret gets is AWSCURRENT, whatever stages PutSecretValue names.
        try await api.ok("PutSecretValue", ["SecretId": "later", "SecretString": "first", "VersionStages": ["NEXT"]])
        let first = try await api.ok("GetSecretValue", ["SecretId": "later"])
        #expect(first[member: "SecretString"] == "first")
        #expect(first[member: "VersionStages"] == ["NEXT", "AWSCURRENT"])
        // An empty description is shown as none.
        try await api.ok("CreateSecret", ["Name": "plain", "Description": ""])
        #expect(try await api.ok("DescribeSecret", ["SecretId": "plain"])[member: "Description"] == nil)
    }

    @Test("Requests signed for another service are refused")
    func signingName() async throws {
        let api = try APIFixture()
        let response = api.router.handle(try Signing.request("ListSecrets", [:], date: api.clock.now, service: "ecs"))
        #expect(response.status == 400)
        #expect(try JSONParser().parse(response.body)[member: "__type"] == "InvalidSignatureException")
    }

    @Test("The agent's lookup: current SecretString, or GetSecretValue's exception")
    func currentSecretString() async throws {
        let api = try APIFixture()
        let created = try await api.ok("CreateSecret", ["Name": "pull", "SecretString": .string(Self.credentials)])
        let arn = try #require(created[member: "ARN"]?.stringValue)
        #expect(try api.store.currentSecretString("pull", now: api.clock.now) == Self.credentials)
        #expect(try api.store.currentSecretString(arn, now: api.clock.now) == Self.credentials)
        let missing = AWSServiceError(type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret.")
        #expect(throws: missing) { try api.store.currentSecretString("gone", now: api.clock.now) }
        #expect(missing.description == "ResourceNotFoundException: Secrets Manager can't find the specified secret.")
        try await api.ok("CreateSecret", ["Name": "binary", "SecretBinary": "AAE="])
        #expect(throws: SecretsManagerError.invalidRequest("The secret holds SecretBinary, not SecretString.")) {
            try api.store.currentSecretString("binary", now: api.clock.now)
        }
        try await api.ok("CreateSecret", ["Name": "empty"])
        #expect(throws: SecretsManagerError.valueNotFound("staging label: AWSCURRENT")) {
            try api.store.currentSecretString("empty", now: api.clock.now)
        }
        try await api.ok("DeleteSecret", ["SecretId": "pull"])
        #expect(throws: SecretsManagerError.markedForDeletion) { try api.store.currentSecretString("pull", now: api.clock.now) }
    }
}
