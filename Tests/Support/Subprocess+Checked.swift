import Foundation

extension Subprocess {
    /// A program a test relies on (openssl, htpasswd, skopeo, ...) exited non-zero.
    public struct Failure: Error, CustomStringConvertible {
        /// What the run was for, e.g. "push oci:/tmp/x to 127.0.0.1:5000/team/app:1".
        public let step: String
        /// The program and its arguments.
        public let command: [String]
        public let status: Int32
        /// Its standard output and error.
        public let output: String
        public var description: String {
            "\(step): \(command.joined(separator: " ")) exited with \(status): \(output)"
        }
    }

    /// Runs `executable` like `run(executable:arguments:stdin:environment:timeLimit:)` and
    /// requires exit status 0.
    ///
    /// - Throws: `Failure` naming `step` when the program exited non-zero; `Timeout` and
    ///   Foundation's errors as `run` does.
    @discardableResult
    public static func runChecked(
        _ step: String, executable: String, arguments: [String], stdin: Data = Data(),
        timeLimit: TimeInterval = defaultTimeLimit
    ) throws -> Result {
        let result = try run(executable: executable, arguments: arguments, stdin: stdin, timeLimit: timeLimit)
        guard result.status == 0 else {
            throw Failure(step: step, command: [executable] + arguments, status: result.status, output: result.outputText)
        }
        return result
    }

    /// Runs `command` with bash and requires exit status 0; returns its standard output.
    ///
    /// - Throws: `Failure` with the command's output when it exited non-zero; `Timeout` after
    ///   `timeLimit`.
    @discardableResult
    public static func shell(_ command: String, timeLimit: TimeInterval = defaultTimeLimit) throws -> String {
        try runChecked("shell command", executable: "/bin/bash", arguments: ["-c", command], timeLimit: timeLimit).stdoutText
    }
}
