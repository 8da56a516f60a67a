import Foundation
import XCTest

/// Task definitions and tasks through the real AWS CLI, as the end-to-end suites drive them.
extension ServeDaemon {
    /// Registers the task definition `json` (ECS's JSON, as `--cli-input-json` takes it).
    @discardableResult
    func registerTaskDefinition(family: String, json: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let path = dataDirectory + "/\(family).json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return try aws(["ecs", "register-task-definition", "--cli-input-json", "file://" + path])
    }

    /// Registers `family` as one essential container `main` of `image` running `sleep 3600`
    /// (32 MiB, awsvpc); with `credentialsParameter`, the container's `repositoryCredentials`
    /// name it (an empty one too, which registration refuses).
    @discardableResult
    func registerSleeper(family: String, image: String, credentialsParameter: String? = nil) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let credentials = credentialsParameter.map { #""repositoryCredentials": {"credentialsParameter": "\#($0)"}, "# } ?? ""
        return try registerTaskDefinition(family: family, json: """
            {"family": "\(family)", "networkMode": "awsvpc", "containerDefinitions": [{"name": "main", "image": "\(image)",
              \(credentials)"memory": 32, "essential": true, "command": ["sleep", "3600"]}]}
            """)
    }

    /// Registers the sleeper of `registerSleeper` (failing the test when refused) and runs one
    /// task of it; returns the task's ARN.
    func runSleeper(family: String, image: String, credentialsParameter: String? = nil,
                    file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let registered = try registerSleeper(family: family, image: image, credentialsParameter: credentialsParameter)
        XCTAssertEqual(registered.status, 0, registered.stderr, file: file, line: line)
        return try runTask(family: family, file: file, line: line)
    }

    /// Runs one awsvpc task of `family`'s latest revision; returns its ARN.
    func runTask(family: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let ran = try awsJSON(["ecs", "run-task", "--task-definition", family,
                               "--network-configuration", "awsvpcConfiguration={subnets=[subnet-wharf]}"], file: file, line: line)
        return try XCTUnwrap((ran["tasks"] as? [[String: Any]])?.first?["taskArn"] as? String, "\(ran)", file: file, line: line)
    }

    /// The task as DescribeTasks shows it; empty when it is not found.
    func describeTask(_ arn: String) throws -> [String: Any] {
        let described = try awsJSON(["ecs", "describe-tasks", "--tasks", arn])
        return (described["tasks"] as? [[String: Any]])?.first ?? [:]
    }

    /// Waits until the task's lastStatus is one of `statuses`; returns the task as described then.
    func waitForTask(_ arn: String, in statuses: Set<String>, timeout: TimeInterval,
                     file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        try eventually(timeout: timeout, file: file, line: line) { () -> [String: Any]? in
            let task = try describeTask(arn)
            return statuses.contains(task["lastStatus"] as? String ?? "") ? task : nil
        }
    }
}
