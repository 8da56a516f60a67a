import Foundation
import Runtime
import WharfTestSupport
import XCTest

/// The real `wharf` binary, run as a user would, on the fixture's directories, bridge, subnet,
/// cgroup parent and veth prefix (so it only ever sees this test's tasks).
final class CLITests: XCTestCase {
    var fixture: RuntimeFixture!
    var wharf: String!

    override func setUpWithError() throws {
        fixture = try RuntimeFixture()
        // The test bundle is built next to the products: `wharf` and `wharf-shim` are its neighbours.
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let directory = (executable as NSString).deletingLastPathComponent
        wharf = directory + "/wharf"
        guard FileManager.default.isExecutableFile(atPath: wharf),
            FileManager.default.isExecutableFile(atPath: directory + "/wharf-shim")
        else {
            throw XCTSkip("wharf and wharf-shim are not built next to the test bundle in \(directory)")
        }
        let layout = try RuntimeFixture.busybox()
        let imported = try run(["image", "import", layout, "--data-dir", fixture.configuration.dataDirectory])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("imported"), imported.stdout)
    }

    override func tearDown() {
        fixture?.tearDown()
        // XCTest keeps every test case object until the run ends: the runtime (its netlink
        // sockets, inotify instances and threads) goes now.
        fixture = nil
    }

    func testRunTaskWaitExitsWithEssentialContainerExitCode() throws {
        let file = try writeTaskDefinition(
            named: "exit3", containers: [["name": "main", "image": "busybox", "essential": true, "command": ["sh", "-c", "exit 3"]]])
        let result = try run(["run-task", file, "--wait"] + runtimeOptions, timeout: 20)
        XCTAssertEqual(result.status, 3, result.stdout + result.stderr)
        let id = try XCTUnwrap(firstMatch(#"task ([0-9a-f]{32})"#, in: result.stdout), result.stdout)
        XCTAssertEqual(try fixture.runtime.status(of: id).lastStatus, "STOPPED")
        XCTAssertTrue(result.stdout.contains("container main: exit code 3"), result.stdout)
    }

    func testRunTaskPsLogsStop() throws {
        // The web task of configs/web-task.json, with an init so `stop` does not wait out the
        // 30 s stop timeout (httpd as PID 1 ignores SIGTERM), and a line in its log to look for.
        let file = try writeTaskDefinition(
            named: "web",
            containers: [[
                "name": "web", "image": "busybox", "essential": true,
                "command": ["sh", "-c", "echo web task starting; exec httpd -f -p 8080 -h /var/www"],
                "portMappings": [["containerPort": 8080, "protocol": "tcp"]],
                "linuxParameters": ["initProcessEnabled": true],
            ]])
        let launched = try run(["run-task", file] + runtimeOptions)
        XCTAssertEqual(launched.status, 0, launched.stderr)
        let match = try XCTUnwrap(
            firstMatches(#"^task ([0-9a-f]{32})  ip ([0-9.]+)$"#, in: launched.stdout.trimmingCharacters(in: .newlines)),
            launched.stdout)
        let (id, address) = (match[0], match[1])
        XCTAssertEqual(try fixture.runtime.status(of: id).address, address)

        // `ps` shows the task RUNNING once its container has started.
        let running = try fixture.runtime.wait(id, timeout: 10, description: "RUNNING") { $0.lastStatus != "PENDING" }
        XCTAssertEqual(running.lastStatus, "RUNNING")
        let listing = try run(["ps"] + runtimeOptions)
        XCTAssertEqual(listing.status, 0, listing.stderr)
        let row = try XCTUnwrap(listing.stdout.split(separator: "\n").first { $0.hasPrefix(id.prefix(12)) }, listing.stdout)
        XCTAssertTrue(row.contains("RUNNING") && row.contains(address), String(row))

        // The server really runs, and its output reaches `wharf logs`.
        XCTAssertEqual(pollHTTP(address), "hello from wharf busybox\n")
        let logs = try run(["logs", id] + runtimeOptions)
        XCTAssertEqual(logs.status, 0, logs.stderr)
        XCTAssertEqual(logs.stdout, "web task starting\n")

        let started = Date()
        let stopped = try run(["stop", String(id.prefix(8))] + runtimeOptions, timeout: 20)
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        XCTAssertTrue(stopped.stdout.contains("task \(id) STOPPED: Task stopped by user"), stopped.stdout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the init should end httpd on SIGTERM, not the stop timeout")
        XCTAssertEqual(try fixture.runtime.status(of: id).lastStatus, "STOPPED")
        XCTAssertEqual(fixture.leftovers(), [])
    }

    func testInvalidTaskDefinitionIsRefusedNamingTheField() throws {
        let container: [String: Any] = ["name": "web", "image": "busybox", "essential": true, "command": ["true"]]
        let file = try writeTaskDefinition(named: "duplicate", containers: [container, container])
        let result = try run(["run-task", file] + runtimeOptions)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("containerDefinitions[1].name"), result.stderr)
        XCTAssertEqual(fixture.runtime.taskIDs(), [], "nothing may be launched")
    }

    // MARK: - Helpers

    private var runtimeOptions: [String] {
        let configuration = fixture.configuration
        return [
            "--data-dir", configuration.dataDirectory,
            "--bridge", configuration.bridgeName, "--subnet", configuration.subnet?.description ?? "",
            "--cgroup-parent", configuration.cgroupParent, "--veth-prefix", configuration.vethPrefix,
        ]
    }

    /// Writes an ECS task definition (awsvpc, 256 CPU units, 512 MiB) into the fixture's root.
    private func writeTaskDefinition(named family: String, containers: [[String: Any]]) throws -> String {
        let definition: [String: Any] = [
            "family": family, "networkMode": "awsvpc", "cpu": "256", "memory": "512", "containerDefinitions": containers,
        ]
        let path = fixture.root + "/\(family).json"
        try JSONSerialization.data(withJSONObject: definition).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs `wharf ARGS` for at most `timeout` seconds; a run that takes longer is killed and
    /// fails the test.
    private func run(_ arguments: [String], timeout: Double = 10) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try Subprocess.run(executable: wharf, arguments: arguments, timeLimit: timeout)
        return (result.status, result.stdoutText, result.stderrText)
    }

    private func firstMatch(_ pattern: String, in text: String) -> String? {
        firstMatches(pattern, in: text)?.first
    }

    /// The capture groups of the first match of `pattern` (anchors match at line breaks).
    private func firstMatches(_ pattern: String, in text: String) -> [String]? {
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]),
            let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        return (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }
    }
}
