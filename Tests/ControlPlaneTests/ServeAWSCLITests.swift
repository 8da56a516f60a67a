import Foundation
import XCTest

/// `wharf serve` driven by the real AWS CLI, as a user would: generated credentials, SigV4,
/// ECS operations and errors, and state that survives a restart of the daemon.
final class ServeAWSCLITests: ServeDaemonTestCase {
    private let config = "region: us-east-1\naccountId: \"123456789012\"\n"

    func testClusterAndTaskDefinitionLifecycleWithRestart() throws {
        let daemon = try XCTUnwrap(daemon)
        try daemon.start(config: config)
        XCTAssertTrue(FileManager.default.fileExists(atPath: daemon.dataDirectory + "/credentials"))

        let created = try daemon.aws(["ecs", "create-cluster", "--cluster-name", "e2e"])
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stdout.contains("arn:aws:ecs:us-east-1:123456789012:cluster/e2e"), created.stdout)

        let taskDefinition = daemon.dataDirectory + "/web.json"
        try #"{"family": "web", "networkMode": "awsvpc", "containerDefinitions": [{"name": "web", "image": "busybox", "memory": 64, "essential": true, "command": ["httpd", "-f", "-p", "8080"], "portMappings": [{"containerPort": 8080}]}]}"#
            .write(toFile: taskDefinition, atomically: true, encoding: .utf8)
        let registered = try daemon.aws(["ecs", "register-task-definition", "--cli-input-json", "file://" + taskDefinition])
        XCTAssertEqual(registered.status, 0, registered.stderr)
        XCTAssertTrue(registered.stdout.contains("task-definition/web:1"), registered.stdout)

        // ECS's errors, as the CLI prints them.
        let missing = try daemon.aws(["ecs", "describe-task-definition", "--task-definition", "nope:1"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("ClientException"), missing.stderr)
        let badCluster = try daemon.aws(["ecs", "delete-cluster", "--cluster", "no-such-cluster"])
        XCTAssertTrue(badCluster.stderr.contains("ClusterNotFoundException"), badCluster.stderr)

        // A body over the API's limit (1 MiB) is refused before it is read, with AWS's error.
        let oversized = daemon.dataDirectory + "/oversized.json"
        try #"{"family": "big", "containerDefinitions": [{"name": "big", "image": "busybox", "memory": 64, "environment": [{"name": "PAD", "value": "\#(String(repeating: "x", count: 1_200_000))"}]}]}"#
            .write(toFile: oversized, atomically: true, encoding: .utf8)
        let tooLarge = try daemon.aws(["ecs", "register-task-definition", "--cli-input-json", "file://" + oversized])
        XCTAssertNotEqual(tooLarge.status, 0)
        XCTAssertTrue(tooLarge.stderr.contains("(RequestEntityTooLargeException)"), tooLarge.stderr)

        // A wrong secret is refused by the signature check.
        let wrongKeys = daemon.dataDirectory + "/wrong-credentials"
        let keys = try String(contentsOfFile: daemon.dataDirectory + "/credentials", encoding: .utf8)
        let accessKey = try XCTUnwrap(keys.split(separator: "\n").first { $0.hasPrefix("aws_access_key_id") }?.split(separator: "=").last)
        try "[wharf]\naws_access_key_id =\(accessKey)\naws_secret_access_key = wrongwrongwrongwrongwrongwrongwrongwrong\n"
            .write(toFile: wrongKeys, atomically: true, encoding: .utf8)
        let refused = try daemon.aws(["ecs", "list-clusters"], credentialsFile: wrongKeys)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("InvalidSignatureException"), refused.stderr)

        // Restart: everything written before is still there.
        daemon.stop()
        try daemon.start(config: config)
        let listed = try daemon.aws(["ecs", "list-clusters"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("cluster/e2e"), listed.stdout)
        let described = try daemon.aws(["ecs", "describe-task-definition", "--task-definition", "web"])
        XCTAssertEqual(described.status, 0, described.stderr)
        XCTAssertTrue(described.stdout.contains("\"revision\": 1"), described.stdout)
    }
}
