import Foundation

/// Runs a command-line client (`curl`, `openssl s_client`) to completion with a time limit,
/// its input and output in files of the test's directory.
enum Command {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Both streams, for assertions that do not care which one a line went to.
        var output: String { stdout + "\n" + stderr }
    }

    struct TimedOut: Error, CustomStringConvertible {
        var description: String
    }

    /// The command ran but exited non-zero.
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ executable: String, _ arguments: [String], stdin: String = "", in directory: TestDirectory, timeout: Double = 20) throws -> Result {
        let name = "cmd-\(UUID().uuidString.prefix(8))"
        let input = try directory.write("\(name).stdin", stdin)
        let outputPath = directory.file("\(name).stdout")
        let errorPath = directory.file("\(name).stderr")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let inputHandle = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
        let outputHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer {
            try? inputHandle.close()
            try? outputHandle.close()
            try? errorHandle.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = inputHandle
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw TimedOut(description: "\(executable) \(arguments.joined(separator: " ")) ran longer than \(timeout) s")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        )
    }
}
