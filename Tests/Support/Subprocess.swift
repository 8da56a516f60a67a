import Foundation

/// Runs a program to completion with a time limit, its input and output in files (so a chatty
/// child can never block on a full pipe and the test can never block on reading one).
public enum Subprocess {
    /// How a run ended and what it wrote.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: Data
        public let stderr: Data
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
        /// Both streams, for assertions that do not care which one a line went to.
        public var outputText: String { stdoutText + "\n" + stderrText }
    }

    /// The program ran longer than its time limit and was killed.
    public struct Timeout: Error, CustomStringConvertible {
        public let description: String
    }

    /// Longest a test subprocess may run before it is killed.
    public static let defaultTimeLimit: TimeInterval = 60
    /// How long a program gets to exit after SIGTERM once its time is up, before SIGKILL.
    static let terminationGrace: TimeInterval = 5

    /// Runs `executable` with `arguments`, `stdin` as its standard input and `environment`
    /// (`nil`: this process's), for at most `timeLimit` seconds.
    ///
    /// - Throws: `Timeout` when it ran too long (it is killed first); Foundation's errors when
    ///   it could not be started or its output could not be read.
    public static func run(
        executable: String, arguments: [String], stdin: Data = Data(), environment: [String: String]? = nil,
        timeLimit: TimeInterval = defaultTimeLimit
    ) throws -> Result {
        let directory = try TemporaryDirectory(prefix: "wharf-subprocess")
        let stdinPath = directory.file("stdin")
        let stdoutPath = directory.file("stdout")
        let stderrPath = directory.file("stderr")
        try stdin.write(to: URL(fileURLWithPath: stdinPath))
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdinPath))
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
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
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        if exited.wait(timeout: .now() + timeLimit) == .timedOut {
            process.terminate()
            if exited.wait(timeout: .now() + terminationGrace) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
            let command = ([executable] + arguments).joined(separator: " ")
            throw Timeout(description: "\(command) ran longer than \(timeLimit) s")
        }
        return Result(
            status: process.terminationStatus,
            stdout: try Data(contentsOf: URL(fileURLWithPath: stdoutPath)),
            stderr: try Data(contentsOf: URL(fileURLWithPath: stderrPath)))
    }
}
