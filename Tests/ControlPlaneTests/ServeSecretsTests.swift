import Foundation
import Glibc
import XCTest
import WharfTestSupport

/// Secrets Manager on `wharf serve`, driven by the real AWS CLI: the secret operations and
/// errors as the CLI prints them, state kept across a restart in a file only root can read.
final class ServeSecretsTests: ServeDaemonTestCase {
    private let config = "region: us-east-1\naccountId: \"123456789012\"\n"

    func testSecretLifecycleWithAWSCLI() throws {
        let daemon = try XCTUnwrap(daemon)
        try daemon.start(config: config)

        let created = try daemon.awsJSON(["secretsmanager", "create-secret", "--name", "registry/robot",
                                          "--secret-string", #"{"username":"robot","password":"one"}"#,
                                          "--description", "pull credentials", "--tags", "Key=team,Value=web"])
        let arn = try XCTUnwrap(created["ARN"] as? String)
        XCTAssertTrue(arn.hasPrefix("arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/robot-"), arn)
        XCTAssertEqual(arn.count, "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/robot-".count + 6)
        XCTAssertNotNil(created["VersionId"] as? String)

        let byName = try daemon.awsJSON(["secretsmanager", "get-secret-value", "--secret-id", "registry/robot"])
        XCTAssertEqual(byName["SecretString"] as? String, #"{"username":"robot","password":"one"}"#)
        XCTAssertEqual(byName["VersionStages"] as? [String], ["AWSCURRENT"])
        XCTAssertNotNil(byName["CreatedDate"] as? Double)
        let byARN = try daemon.awsJSON(["secretsmanager", "get-secret-value", "--secret-id", arn])
        XCTAssertEqual(byARN["Name"] as? String, "registry/robot")

        let put = try daemon.awsJSON(["secretsmanager", "put-secret-value", "--secret-id", "registry/robot",
                                      "--secret-string", #"{"username":"robot","password":"two"}"#])
        XCTAssertEqual(put["VersionStages"] as? [String], ["AWSCURRENT"])
        let current = try daemon.awsJSON(["secretsmanager", "get-secret-value", "--secret-id", arn])
        XCTAssertEqual(current["SecretString"] as? String, #"{"username":"robot","password":"two"}"#)
        XCTAssertEqual(current["VersionId"] as? String, put["VersionId"] as? String)
        let previous = try daemon.awsJSON(["secretsmanager", "get-secret-value", "--secret-id", "registry/robot",
                                           "--version-stage", "AWSPREVIOUS"])
        XCTAssertEqual(previous["SecretString"] as? String, #"{"username":"robot","password":"one"}"#)

        let described = try daemon.awsJSON(["secretsmanager", "describe-secret", "--secret-id", "registry/robot"])
        XCTAssertEqual(described["Description"] as? String, "pull credentials")
        XCTAssertEqual((described["VersionIdsToStages"] as? [String: [String]])?.count, 2)
        XCTAssertEqual((described["Tags"] as? [[String: String]])?.first?["Key"], "team")
        XCTAssertNil(described["SecretString"])

        _ = try daemon.awsJSON(["secretsmanager", "create-secret", "--name", "other", "--secret-string", "x"])
        let listed = try daemon.awsJSON(["secretsmanager", "list-secrets"])
        XCTAssertEqual((listed["SecretList"] as? [[String: Any]])?.compactMap { $0["Name"] as? String }, ["registry/robot", "other"],
                       "by CreatedDate")
        let sortedByName = try daemon.awsJSON(["secretsmanager", "list-secrets", "--sort-by", "name"])
        XCTAssertEqual((sortedByName["SecretList"] as? [[String: Any]])?.compactMap { $0["Name"] as? String }, ["other", "registry/robot"])
        // The CLI follows NextToken itself: one item per page still lists both.
        let paged = try daemon.awsJSON(["secretsmanager", "list-secrets", "--page-size", "1"])
        XCTAssertEqual((paged["SecretList"] as? [[String: Any]])?.count, 2)

        // Errors, as the CLI prints them.
        let exists = try daemon.aws(["secretsmanager", "create-secret", "--name", "other", "--secret-string", "y"])
        XCTAssertTrue(exists.stderr.contains("ResourceExistsException"), exists.stderr)
        let missing = try daemon.aws(["secretsmanager", "get-secret-value", "--secret-id", "nope"])
        XCTAssertTrue(missing.stderr.contains("ResourceNotFoundException"), missing.stderr)
        let deleted = try daemon.awsJSON(["secretsmanager", "delete-secret", "--secret-id", "other", "--recovery-window-in-days", "7"])
        XCTAssertNotNil(deleted["DeletionDate"] as? Double)
        let refused = try daemon.aws(["secretsmanager", "get-secret-value", "--secret-id", "other"])
        XCTAssertTrue(refused.stderr.contains("InvalidRequestException"), refused.stderr)
        let forced = try daemon.aws(["secretsmanager", "delete-secret", "--secret-id", "other", "--force-delete-without-recovery"])
        XCTAssertEqual(forced.status, 0, forced.stderr)

        // Kept across a restart, in a file only its owner reads.
        daemon.stop()
        try daemon.start(config: config)
        let kept = try daemon.awsJSON(["secretsmanager", "get-secret-value", "--secret-id", "registry/robot"])
        XCTAssertEqual(kept["SecretString"] as? String, #"{"username":"robot","password":"two"}"#)
        var info = stat()
        XCTAssertEqual(stat(daemon.dataDirectory + "/secrets.sqlite", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
    }
}
