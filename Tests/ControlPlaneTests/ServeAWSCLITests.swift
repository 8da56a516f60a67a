import Foundation
import Runtime
import XCTest

/// `wharf serve` driven by the real AWS CLI, as a user would: generated credentials, SigV4,
/// ECS operations and errors, and state that survives a restart of the daemon.
final class ServeAWSCLITests: XCTestCase {
    private var dataDirectory = ""
    private var server: Process?
    private var port = 0
    private var wharf = ""
    /// This test's own runtime resources, so the daemon never touches the host's defaults.
    private var token = ""
    private var runDirectory: String { dataDirectory + "-run" }
    private var bridge: String { "wsv\(token)" }
    private var cgroupParent: String { "wharf-serve-\(token)" }

    override func setUpWithError() throws {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        wharf = (executable as NSString).deletingLastPathComponent + "/wharf"
        guard FileManager.default.isExecutableFile(atPath: wharf) else {
            throw XCTSkip("wharf is not built next to the test bundle")
        }
        guard (try? runAWS(["--version"], credentials: false).status) == 0 else {
            throw XCTSkip("the aws CLI is not installed (scripts/setup.sh installs it)")
        }
        token = String(UUID().uuidString.prefix(6)).lowercased()
        dataDirectory = NSTemporaryDirectory() + "wharf-serve-\(token)"
        port = try Self.freePort()
    }

    override func tearDown() {
        stopServer()
        ContainerRuntime.removeHostResources(of: RuntimeConfiguration(
            dataDirectory: dataDirectory, runDirectory: runDirectory, bridgeName: bridge, cgroupParent: cgroupParent, vethPrefix: "ws"))
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    func testClusterAndTaskDefinitionLifecycleWithRestart() throws {
        try startServer()
        XCTAssertTrue(FileManager.default.fileExists(atPath: dataDirectory + "/credentials"))

        let created = try runAWS(["ecs", "create-cluster", "--cluster-name", "e2e"])
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stdout.contains("arn:aws:ecs:us-east-1:123456789012:cluster/e2e"), created.stdout)

        let taskDefinition = dataDirectory + "/web.json"
        try #"{"family": "web", "networkMode": "awsvpc", "containerDefinitions": [{"name": "web", "image": "busybox", "memory": 64, "essential": true, "command": ["httpd", "-f", "-p", "8080"], "portMappings": [{"containerPort": 8080}]}]}"#
            .write(toFile: taskDefinition, atomically: true, encoding: .utf8)
        let registered = try runAWS(["ecs", "register-task-definition", "--cli-input-json", "file://" + taskDefinition])
        XCTAssertEqual(registered.status, 0, registered.stderr)
        XCTAssertTrue(registered.stdout.contains("task-definition/web:1"), registered.stdout)

        // ECS's errors, as the CLI prints them.
        let missing = try runAWS(["ecs", "describe-task-definition", "--task-definition", "nope:1"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("ClientException"), missing.stderr)
        let badCluster = try runAWS(["ecs", "delete-cluster", "--cluster", "no-such-cluster"])
        XCTAssertTrue(badCluster.stderr.contains("ClusterNotFoundException"), badCluster.stderr)

        // A wrong secret is refused by the signature check.
        let wrongKeys = dataDirectory + "/wrong-credentials"
        let keys = try String(contentsOfFile: dataDirectory + "/credentials", encoding: .utf8)
        let accessKey = try XCTUnwrap(keys.split(separator: "\n").first { $0.hasPrefix("aws_access_key_id") }?.split(separator: "=").last)
        try "[wharf]\naws_access_key_id =\(accessKey)\naws_secret_access_key = wrongwrongwrongwrongwrongwrongwrongwrong\n"
            .write(toFile: wrongKeys, atomically: true, encoding: .utf8)
        let refused = try runAWS(["ecs", "list-clusters"], credentialsFile: wrongKeys)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("InvalidSignatureException"), refused.stderr)

        // Restart: everything written before is still there.
        stopServer()
        try startServer()
        let listed = try runAWS(["ecs", "list-clusters"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("cluster/e2e"), listed.stdout)
        let described = try runAWS(["ecs", "describe-task-definition", "--task-definition", "web"])
        XCTAssertEqual(described.status, 0, described.stderr)
        XCTAssertTrue(described.stdout.contains("\"revision\": 1"), described.stdout)
    }

    // MARK: Helpers

    private func startServer() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wharf)
        process.arguments = [
            "serve", "--data-dir", dataDirectory, "--listen", "127.0.0.1:\(port)", "--run-dir", runDirectory,
            "--bridge", bridge, "--cgroup-parent", cgroupParent, "--veth-prefix", "ws",
            "--subnet", "10.236.\(Int.random(in: 1...250)).0/24",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        server = process
        // Ready once the API answers (any HTTP answer will do).
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if (try? runAWS(["ecs", "list-clusters"]).status) == 0 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("wharf serve did not answer on port \(port)")
    }

    private func stopServer() {
        guard let server, server.isRunning else { return }
        server.terminate()
        server.waitUntilExit()
        self.server = nil
    }

    private func runAWS(_ arguments: [String], credentials: Bool = true, credentialsFile: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["aws"] + arguments + (credentials ? ["--endpoint-url", "http://127.0.0.1:\(port)", "--region", "us-east-1"] : [])
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_SHARED_CREDENTIALS_FILE"] = credentialsFile ?? dataDirectory + "/credentials"
        environment["AWS_PROFILE"] = "wharf"
        environment["AWS_CONFIG_FILE"] = "/dev/null"
        environment["AWS_MAX_ATTEMPTS"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
