import Foundation
import Glibc
import XCTest
import WharfTestSupport

/// A task definition's `repositoryCredentials`, end to end: Debian's `docker-registry` on
/// loopback with TLS (a CA made for the test, trusted through the daemon's `registries.json`)
/// and htpasswd authentication; the busybox image pushed to it with skopeo; the registry's
/// credentials stored with `aws secretsmanager create-secret`; tasks run with the real AWS CLI.
final class ServeRepositoryCredentialsTests: XCTestCase {
    private var daemon: ServeDaemon?
    private var registry: Process?
    private var registryDirectory = ""
    /// How long the registry may take to answer after starting.
    private let registryStartTimeout: TimeInterval = 15

    override func tearDown() {
        if let registry, registry.isRunning {
            kill(registry.processIdentifier, SIGKILL)
            registry.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: registryDirectory)
        daemon?.remove()
    }

    func testPrivateRegistryWithRepositoryCredentials() throws {
        for tool in ["/usr/bin/docker-registry", "/usr/bin/skopeo", "/usr/bin/htpasswd", "/usr/bin/openssl", "/usr/bin/curl"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("\(tool) is not installed (scripts/setup.sh installs it)")
        }
        let daemon = try ServeDaemon()
        self.daemon = daemon
        let port = try FreePort.pick()
        let host = "127.0.0.1:\(port)"
        try startRegistry(port: port, user: "robot", password: "s3cret", under: daemon.dataDirectory + "-registry")
        let layout = try BusyboxImage.layout()
        for tag in ["1.0", "2.0", "3.0"] {
            try run("/usr/bin/skopeo", ["copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", "robot:s3cret",
                                        "oci:\(layout)", "docker://\(host)/private/busybox:\(tag)"])
        }

        // The daemon trusts the registry's CA; it has no credentials for it but the tasks'.
        try #"{"registries": {"\#(host)": {"caFiles": ["\#(registryDirectory)/ca.pem"]}}}"#
            .write(toFile: daemon.dataDirectory + "/registries.json", atomically: true, encoding: .utf8)
        try daemon.start(config: "region: us-east-1\naccountId: \"123456789012\"\n")
        let good = try daemon.awsJSON(["secretsmanager", "create-secret", "--name", "registry/robot",
                                       "--secret-string", #"{"username":"robot","password":"s3cret"}"#])
        let goodARN = try XCTUnwrap(good["ARN"] as? String)
        _ = try daemon.awsJSON(["secretsmanager", "create-secret", "--name", "registry/wrong",
                            "--secret-string", #"{"username":"robot","password":"wrong"}"#])
        _ = try daemon.awsJSON(["secretsmanager", "create-secret", "--name", "registry/not-json", "--secret-string", "robot:s3cret"])

        // A definition without credentialsParameter is refused at registration.
        let invalid = try register(daemon, family: "invalid", image: "\(host)/private/busybox:1.0", credentialsParameter: "")
        XCTAssertNotEqual(invalid.status, 0)
        XCTAssertTrue(invalid.stderr.contains("credentialsParameter"), invalid.stderr)

        // The secret by its full ARN: the task pulls and runs.
        let running = try runTask(daemon, family: "private", image: "\(host)/private/busybox:1.0", credentialsParameter: goodARN)
        let described = try eventually(timeout: 90) { () -> [String: Any]? in
            let task = try self.describe(daemon, running)
            return ["RUNNING", "STOPPED"].contains(task["lastStatus"] as? String ?? "") ? task : nil
        }
        XCTAssertEqual(described["lastStatus"] as? String, "RUNNING", "\(described)\n\(daemon.log())")

        // A wrong password: the registry refuses the pull, as ECS reports it.
        let wrong = try runTask(daemon, family: "wrong", image: "\(host)/private/busybox:2.0", credentialsParameter: "registry/wrong")
        let wrongReason = try stoppedReason(daemon, wrong)
        XCTAssertTrue(wrongReason.hasPrefix("CannotPullContainerError:"), wrongReason)
        XCTAssertTrue(wrongReason.contains("401") || wrongReason.lowercased().contains("unauthorized"), wrongReason)

        // A secret that does not exist, or is not {"username","password"}: ResourceInitializationError.
        let missingSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/absent-AbCdEf"
        let missing = try runTask(daemon, family: "missing", image: "\(host)/private/busybox:3.0", credentialsParameter: missingSecret)
        let missingReason = try stoppedReason(daemon, missing)
        XCTAssertTrue(missingReason.hasPrefix("ResourceInitializationError: unable to pull secrets or registry auth: "), missingReason)
        XCTAssertTrue(missingReason.contains(missingSecret), missingReason)
        XCTAssertTrue(missingReason.contains("ResourceNotFoundException"), missingReason)
        let notJSON = try runTask(daemon, family: "not-json", image: "\(host)/private/busybox:3.0",
                                  credentialsParameter: "registry/not-json")
        let notJSONReason = try stoppedReason(daemon, notJSON)
        XCTAssertTrue(notJSONReason.hasPrefix("ResourceInitializationError: unable to pull secrets or registry auth: "), notJSONReason)
        XCTAssertTrue(notJSONReason.contains("registry/not-json"), notJSONReason)

        XCTAssertEqual(try daemon.aws(["ecs", "stop-task", "--task", running]).status, 0)
    }

    // MARK: The registry

    /// Starts `docker-registry` with TLS (a CA and a certificate for 127.0.0.1 made here) and
    /// one htpasswd user; it dies with the test process.
    private func startRegistry(port: Int, user: String, password: String, under directory: String) throws {
        registryDirectory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let openssl = "/usr/bin/openssl"
        try run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=wharf test CA",
                          "-keyout", directory + "/ca.key", "-out", directory + "/ca.pem"])
        try run(openssl, ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                          "-keyout", directory + "/server.key", "-out", directory + "/server.csr"])
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n".write(toFile: directory + "/ext.cnf", atomically: true, encoding: .utf8)
        try run(openssl, ["x509", "-req", "-in", directory + "/server.csr", "-CA", directory + "/ca.pem", "-CAkey", directory + "/ca.key",
                          "-CAcreateserial", "-days", "2", "-extfile", directory + "/ext.cnf", "-out", directory + "/server.pem"])
        let htpasswd = try run("/usr/bin/htpasswd", ["-Bbn", user, password])
        try htpasswd.write(toFile: directory + "/htpasswd", atomically: true, encoding: .utf8)
        try """
            version: 0.1
            log: {level: error, accesslog: {disabled: true}}
            storage: {filesystem: {rootdirectory: \(directory)/data}}
            http:
              addr: 127.0.0.1:\(port)
              tls: {certificate: \(directory)/server.pem, key: \(directory)/server.key}
            auth:
              htpasswd: {realm: wharf-test, path: \(directory)/htpasswd}
            """.write(toFile: directory + "/config.yml", atomically: true, encoding: .utf8)
        let registry = Process()
        registry.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        registry.arguments = ["--pdeathsig", "KILL", "/usr/bin/docker-registry", "serve", directory + "/config.yml"]
        registry.standardOutput = FileHandle.nullDevice
        registry.standardError = FileHandle.nullDevice
        try registry.run()
        self.registry = registry
        let deadline = Date().addingTimeInterval(registryStartTimeout)
        while Date() < deadline {
            let probe = try Subprocess.run(executable: "/usr/bin/curl", arguments: [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", directory + "/ca.pem", "https://127.0.0.1:\(port)/v2/",
            ], timeLimit: 5)
            if probe.stdoutText == "401" { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("docker-registry did not answer on 127.0.0.1:\(port) within \(registryStartTimeout) s")
        throw XCTSkip("no registry")
    }

    /// Runs a tool, failing the test with its output when it fails; returns its stdout.
    @discardableResult
    private func run(_ executable: String, _ arguments: [String]) throws -> String {
        let result = try Subprocess.run(executable: executable, arguments: arguments, timeLimit: 120)
        guard result.status == 0 else {
            XCTFail("\(executable) \(arguments.joined(separator: " ")) failed: \(result.outputText)")
            throw XCTSkip("setup failed")
        }
        return result.stdoutText
    }

    // MARK: Tasks

    private func register(_ daemon: ServeDaemon, family: String, image: String, credentialsParameter: String) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let path = daemon.dataDirectory + "/\(family).json"
        try """
            {"family": "\(family)", "networkMode": "awsvpc", "containerDefinitions": [{"name": "main", "image": "\(image)",
              "repositoryCredentials": {"credentialsParameter": "\(credentialsParameter)"},
              "memory": 32, "essential": true, "command": ["sleep", "3600"]}]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return try daemon.aws(["ecs", "register-task-definition", "--cli-input-json", "file://" + path])
    }

    private func runTask(_ daemon: ServeDaemon, family: String, image: String, credentialsParameter: String) throws -> String {
        let registered = try register(daemon, family: family, image: image, credentialsParameter: credentialsParameter)
        XCTAssertEqual(registered.status, 0, registered.stderr)
        let ran = try daemon.awsJSON(["ecs", "run-task", "--task-definition", family,
                                      "--network-configuration", "awsvpcConfiguration={subnets=[subnet-wharf]}"])
        return try XCTUnwrap((ran["tasks"] as? [[String: Any]])?.first?["taskArn"] as? String, "\(ran)")
    }

    private func describe(_ daemon: ServeDaemon, _ task: String) throws -> [String: Any] {
        let described = try daemon.awsJSON(["ecs", "describe-tasks", "--tasks", task])
        return (described["tasks"] as? [[String: Any]])?.first ?? [:]
    }

    private func stoppedReason(_ daemon: ServeDaemon, _ task: String) throws -> String {
        let stopped = try eventually(timeout: 60) { () -> [String: Any]? in
            let task = try self.describe(daemon, task)
            return task["lastStatus"] as? String == "STOPPED" ? task : nil
        }
        return stopped["stoppedReason"] as? String ?? ""
    }
}
