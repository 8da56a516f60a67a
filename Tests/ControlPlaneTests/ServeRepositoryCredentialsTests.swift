import Foundation
import XCTest
import WharfTestSupport

/// A task definition's `repositoryCredentials`, end to end: Debian's `docker-registry` on
/// loopback with TLS (a CA made for the test, trusted through the daemon's `registries.json`)
/// and htpasswd authentication; the busybox image pushed to it with skopeo; the registry's
/// credentials stored with `aws secretsmanager create-secret`; tasks run with the real AWS CLI.
final class ServeRepositoryCredentialsTests: ServeDaemonTestCase {
    func testPrivateRegistryWithRepositoryCredentials() throws {
        let registry = try startRegistry(LocalRegistry.Configuration(tls: true, authentication: .htpasswd(users: ["robot": "s3cret"])))
        let daemon = try XCTUnwrap(daemon)
        let host = registry.host
        let caFile = try XCTUnwrap(registry.caFile)
        let layout = try BusyboxImage.layout()
        for tag in ["1.0", "2.0", "3.0"] {
            try registry.push(layout: layout, to: "private/busybox:\(tag)",
                              credentials: LocalRegistry.Credentials(username: "robot", password: "s3cret"))
        }

        // The daemon trusts the registry's CA; it has no credentials for it but the tasks'.
        try #"{"registries": {"\#(host)": {"caFiles": ["\#(caFile)"]}}}"#
            .write(toFile: daemon.dataDirectory + "/registries.json", atomically: true, encoding: .utf8)
        try daemon.start(config: "region: us-east-1\naccountId: \"123456789012\"\n")
        let good = try daemon.awsJSON(["secretsmanager", "create-secret", "--name", "registry/robot",
                                       "--secret-string", #"{"username":"robot","password":"s3cret"}"#])
        let goodARN = try XCTUnwrap(good["ARN"] as? String)
        _ = try daemon.awsJSON(["secretsmanager", "create-secret", "--name", "registry/wrong",
                            "--secret-string", #"{"username":"robot","password":"wrong"}"#])
        _ = try daemon.awsJSON(["secretsmanager", "create-secret", "--name", "registry/not-json", "--secret-string", "robot:s3cret"])

        // A definition without credentialsParameter is refused at registration.
        let invalid = try daemon.registerSleeper(family: "invalid", image: "\(host)/private/busybox:1.0", credentialsParameter: "")
        XCTAssertNotEqual(invalid.status, 0)
        XCTAssertTrue(invalid.stderr.contains("credentialsParameter"), invalid.stderr)

        // The secret by its full ARN: the task pulls and runs.
        let running = try daemon.runSleeper(family: "private", image: "\(host)/private/busybox:1.0", credentialsParameter: goodARN)
        let described = try daemon.waitForTask(running, in: ["RUNNING", "STOPPED"], timeout: 90)
        XCTAssertEqual(described["lastStatus"] as? String, "RUNNING", "\(described)\n\(daemon.log())")

        // A wrong password: the registry refuses the pull, as ECS reports it.
        let wrong = try daemon.runSleeper(family: "wrong", image: "\(host)/private/busybox:2.0", credentialsParameter: "registry/wrong")
        let wrongReason = try stoppedReason(daemon, wrong)
        XCTAssertTrue(wrongReason.hasPrefix("CannotPullContainerError:"), wrongReason)
        XCTAssertTrue(wrongReason.contains("401") || wrongReason.lowercased().contains("unauthorized"), wrongReason)

        // A secret that does not exist, or is not {"username","password"}: ResourceInitializationError.
        let missingSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/absent-AbCdEf"
        let missing = try daemon.runSleeper(family: "missing", image: "\(host)/private/busybox:3.0", credentialsParameter: missingSecret)
        let missingReason = try stoppedReason(daemon, missing)
        XCTAssertTrue(missingReason.hasPrefix("ResourceInitializationError: unable to pull secrets or registry auth: "), missingReason)
        XCTAssertTrue(missingReason.contains(missingSecret), missingReason)
        XCTAssertTrue(missingReason.contains("ResourceNotFoundException"), missingReason)
        let notJSON = try daemon.runSleeper(family: "not-json", image: "\(host)/private/busybox:3.0",
                                            credentialsParameter: "registry/not-json")
        let notJSONReason = try stoppedReason(daemon, notJSON)
        XCTAssertTrue(notJSONReason.hasPrefix("ResourceInitializationError: unable to pull secrets or registry auth: "), notJSONReason)
        XCTAssertTrue(notJSONReason.contains("registry/not-json"), notJSONReason)

        XCTAssertEqual(try daemon.aws(["ecs", "stop-task", "--task", running]).status, 0)
    }

    // MARK: Tasks

    private func stoppedReason(_ daemon: ServeDaemon, _ task: String) throws -> String {
        try daemon.waitForTask(task, in: ["STOPPED"], timeout: 60)["stoppedReason"] as? String ?? ""
    }
}
