import Foundation
@testable import ControlPlane
import Runtime
import XCTest
import WharfTestSupport

/// A `wharf serve` process for end-to-end tests: its own data directory, runtime resources
/// (bridge, cgroup parent, veth prefix, subnet) and ports, the real AWS CLI pointed at it, and
/// everything removed afterwards.
final class ServeDaemon {
    let token = String(UUID().uuidString.prefix(6)).lowercased()
    let dataDirectory: String
    let apiPort: Int
    /// The dashboard's port (never the default one, which a user's daemon may hold).
    let dashboardPort: Int
    let wharf: String
    let subnet = "10.237.\(Int.random(in: 1...250)).0/24"
    private var process: Process?
    var bridge: String { "wsd\(token)" }
    var cgroupParent: String { "wharf-e2e-\(token)" }
    var logPath: String { dataDirectory + "-serve.log" }

    init() throws {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        wharf = (executable as NSString).deletingLastPathComponent + "/wharf"
        guard FileManager.default.isExecutableFile(atPath: wharf) else {
            throw XCTSkip("wharf is not built next to the test bundle")
        }
        dataDirectory = NSTemporaryDirectory() + "wharf-e2e-\(token)"
        apiPort = try FreePort.pick()
        dashboardPort = try FreePort.pick()
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        guard (try? aws(["--version"], endpoint: false).status) == 0 else {
            throw XCTSkip("the aws CLI is not installed (scripts/setup.sh installs it)")
        }
    }

    /// Imports the busybox image (built from Debian's busybox-static) into the daemon's store.
    func importBusybox() throws {
        let layout = try BusyboxImage.layout()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wharf)
        process.arguments = ["image", "import", layout, "--data-dir", dataDirectory]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "wharf image import failed")
    }

    /// Starts the daemon with `config` (YAML) and waits until its API answers.
    func start(config: String) throws {
        let configPath = dataDirectory + "/serve.yaml"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wharf)
        process.arguments = [
            "serve", "--data-dir", dataDirectory, "--listen", "127.0.0.1:\(apiPort)", "--config", configPath,
            "--bridge", bridge, "--cgroup-parent", cgroupParent, "--veth-prefix", "wd",
            "--subnet", subnet, "--dashboard", "127.0.0.1:\(dashboardPort)",
        ]
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if (try? aws(["ecs", "list-clusters"]).status) == 0 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw ServeDaemonFailure(description: "wharf serve did not answer within 20 s; log:\n\(self.log())")
    }

    /// SIGTERM and wait (tasks keep running).
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    /// Stops the daemon and removes every task, bridge, cgroup and file it made.
    func remove() {
        stop()
        ContainerRuntime.removeHostResources(of: RuntimeConfiguration(
            dataDirectory: dataDirectory, bridgeName: bridge, cgroupParent: cgroupParent,
            vethPrefix: "wd"))
        try? FileManager.default.removeItem(atPath: dataDirectory)
        try? FileManager.default.removeItem(atPath: logPath)
    }

    func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Runs the AWS CLI against the daemon with its generated credentials.
    @discardableResult
    func aws(_ arguments: [String], endpoint: Bool = true, credentialsFile: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_SHARED_CREDENTIALS_FILE"] = credentialsFile ?? dataDirectory + "/credentials"
        environment["AWS_PROFILE"] = "wharf"
        environment["AWS_CONFIG_FILE"] = "/dev/null"
        environment["AWS_MAX_ATTEMPTS"] = "1"
        let result = try Subprocess.run(
            executable: "/usr/bin/env",
            arguments: ["aws"] + arguments
                + (endpoint ? ["--endpoint-url", "http://127.0.0.1:\(apiPort)", "--region", "us-east-1", "--output", "json"] : []),
            environment: environment, timeLimit: 120)
        return (result.status, result.stdoutText, result.stderrText)
    }

    /// The CLI's JSON output, parsed; fails the test when the command fails.
    func awsJSON(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try aws(arguments)
        guard result.status == 0 else {
            XCTFail("aws \(arguments.joined(separator: " ")) failed: \(result.stderr)", file: file, line: line)
            return [:]
        }
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return object as? [String: Any] ?? [:]
    }
}

/// A plain HTTP/1.1 GET over a fresh connection (`Connection: close`) to a loopback or task
/// address, with timeouts: the status and body, or nil when no response came.
enum HTTPGet {
    static func get(host: String = "127.0.0.1", port: Int, path: String = "/", timeout: Int = 5) -> (status: Int, body: String)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return nil }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += chunk[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        guard let statusLine = parts.first?.split(separator: "\r\n").first else { return nil }
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, let status = Int(fields[1]) else { return nil }
        return (status, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}

/// Polls `probe` every half second until it returns a value; fails the test after `timeout`.
func eventually<T>(timeout: TimeInterval, file: StaticString = #filePath, line: UInt = #line,
                   _ probe: () throws -> T?) throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let value = try probe() { return value }
        Thread.sleep(forTimeInterval: 0.5)
    }
    throw ServeDaemonFailure(description: "condition not met within \(timeout) s (\(file):\(line))")
}

/// A step of an end-to-end test that did not happen: thrown, so the test fails there.
struct ServeDaemonFailure: Error, CustomStringConvertible {
    let description: String
}
