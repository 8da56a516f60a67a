import Foundation
import WharfTestSupport
import XCTest

/// The service operations through boto3 (the Python SDK) against `wharf serve`: shapes,
/// waiters, pagination, events and ECS's errors, as an SDK user sees them.
final class ServeBoto3Tests: ServeDaemonTestCase {
    func testServicesThroughBoto3() throws {
        guard Self.python(["-c", "import boto3"]).status == 0 else {
            throw XCTSkip("boto3 is not installed (scripts/setup.sh installs it)")
        }
        let daemon = try XCTUnwrap(daemon)
        // The circuit breaker part runs real tasks.
        try daemon.importBusybox()
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
        do {
            let result = try Subprocess.run(
                executable: "/usr/bin/env", arguments: ["python3"] + arguments,
                environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, timeLimit: 600)
            return (result.status, result.outputText)
        } catch {
            return (-1, "\(error)")
        }
    }
}
