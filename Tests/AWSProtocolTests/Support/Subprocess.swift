import Foundation

/// Runs a program to completion with a time limit, capturing its output in files (so a
/// chatty child can never block on a full pipe).
enum Subprocess {
    struct Result {
        let status: Int32
        let stdout: Data
        let stderr: Data
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    struct Timeout: Error, CustomStringConvertible {
        let description: String
    }

    /// Longest a test subprocess may run before it is killed.
    static let defaultTimeLimit: TimeInterval = 60

    static func run(
        executable: String, arguments: [String], stdin: Data = Data(), environment: [String: String]? = nil,
        timeLimit: TimeInterval = defaultTimeLimit
    ) throws -> Result {
        let directory = try TemporaryDirectory()
        let stdinURL = directory.url.appendingPathComponent("stdin")
        let stdoutURL = directory.url.appendingPathComponent("stdout")
        let stderrURL = directory.url.appendingPathComponent("stderr")
        try stdin.write(to: stdinURL)
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let input = try FileHandle(forReadingFrom: stdinURL)
        let output = try FileHandle(forWritingTo: stdoutURL)
        let errors = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? input.close()
            try? output.close()
            try? errors.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let deadline = Date().addingTimeInterval(timeLimit)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw Timeout(description: "\(executable) \(arguments.first ?? "") ran longer than \(Int(timeLimit)) s")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: try Data(contentsOf: stdoutURL),
            stderr: try Data(contentsOf: stderrURL))
    }
}
