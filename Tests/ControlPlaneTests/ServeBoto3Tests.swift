import Foundation
import XCTest

/// The service operations through boto3 (the Python SDK) against `wharf serve`: shapes,
/// waiters, pagination, events and ECS's errors, as an SDK user sees them.
final class ServeBoto3Tests: XCTestCase {
    func testServicesThroughBoto3() throws {
        guard Self.python(["-c", "import boto3"]).status == 0 else {
            throw XCTSkip("boto3 is not installed (scripts/setup.sh installs it)")
        }
        let daemon = try ServeDaemon()
        defer { daemon.remove() }
        try daemon.start(config: "region: us-east-1\naccountId: \"123456789012\"\n")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/boto3_services.py").path
        let result = Self.python([script], environment: [
            "WHARF_ENDPOINT": "http://127.0.0.1:\(daemon.apiPort)",
            "AWS_SHARED_CREDENTIALS_FILE": daemon.dataDirectory + "/credentials",
            "AWS_PROFILE": "wharf", "AWS_CONFIG_FILE": "/dev/null",
        ])
        XCTAssertEqual(result.status, 0, "\(result.output)\nwharf serve log:\n\(daemon.log())")
        XCTAssertTrue(result.output.contains("OK"), result.output)
    }

    private static func python(_ arguments: [String], environment: [String: String] = [:]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
