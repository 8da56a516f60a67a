import Foundation
import Glibc
import WharfTestSupport

/// A child process a test starts (a backend, `wharf lb`), its output going to files in the
/// test's directory so a chatty child never blocks on a full pipe. `kill()` ends it and reaps
/// it; it is safe to call more than once.
final class ManagedProcess: @unchecked Sendable {
    // @unchecked: `Process` is used from the test thread and from tear-down, never at once.
    let name: String
    let stdoutPath: String
    let stderrPath: String
    private let process: Process

    struct StartFailed: Error, CustomStringConvertible {
        var description: String
    }

    init(name: String, executable: String, arguments: [String], directory: TemporaryDirectory) throws {
        self.name = name
        stdoutPath = directory.file("\(name).stdout")
        stderrPath = directory.file("\(name).stderr")
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        defer {
            try? output.close()
            try? errors.close()
        }
        process = Process()
        // Through `setpriv --pdeathsig KILL` (util-linux) when it is there: should the test
        // process itself crash, its children die with it instead of holding ports.
        if FileManager.default.isExecutableFile(atPath: ManagedProcess.setpriv) {
            process.executableURL = URL(fileURLWithPath: ManagedProcess.setpriv)
            process.arguments = ["--pdeathsig", "KILL", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw StartFailed(description: "start \(name) (\(executable)): \(error)")
        }
    }

    private static let setpriv = "/usr/bin/setpriv"

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        if process.isRunning { Glibc.kill(process.processIdentifier, signal) }
    }

    /// Waits up to `timeout` seconds for the process to exit; its exit status (or 128 + the
    /// signal that ended it), nil if it is still running.
    func waitForExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() >= deadline { return nil }
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// SIGKILL, then reap.
    func kill() {
        send(SIGKILL)
        _ = waitForExit(timeout: 10)
    }

    var stdoutText: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderrText: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Resident memory in KiB (`VmRSS` of /proc/PID/status), nil once the process is gone.
    var residentKilobytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }
}
