import Foundation

/// Runs Debian's `chromium` headless against a URL: the DOM after the page's scripts ran, or a
/// screenshot. Each run gets its own profile directory, removed afterwards.
enum Chromium {
    /// Where Debian's package installs it, then other usual names.
    static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    /// A run that takes longer than this is killed and the test fails.
    static let timeoutSeconds = 90.0
    /// Virtual milliseconds the page runs before the DOM is taken (timers advance; fetches are real).
    static let virtualTimeBudgetMilliseconds = 6000

    enum Failure: Error, CustomStringConvertible {
        case timedOut(Double)
        case failed(status: Int32, stderr: String)

        var description: String {
            switch self {
            case .timedOut(let seconds): return "chromium did not finish within \(seconds) s"
            case .failed(let status, let stderr): return "chromium exited with \(status): \(stderr.suffix(2000))"
            }
        }
    }

    static var executable: String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The serialized DOM of `url` once the virtual time budget has run out.
    static func dumpDOM(_ url: String, executable: String) throws -> String {
        try run(executable, ["--dump-dom", url])
    }

    /// Saves a PNG of `url` at `path` (`width` x `height` CSS pixels).
    static func screenshot(_ url: String, to path: String, width: Int, height: Int, executable: String) throws {
        _ = try run(executable, ["--screenshot=\(path)", "--window-size=\(width),\(height)", "--hide-scrollbars", url])
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--user-data-dir=\(profile.path)",
            "--virtual-time-budget=\(virtualTimeBudgetMilliseconds)",
        ] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Drain both pipes while it runs, so a chatty chromium cannot block on a full pipe.
        let collected = CollectedOutput()
        let readers = DispatchGroup()
        for (pipe, isError) in [(output, false), (errors, true)] {
            readers.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(data, isError: isError)
                readers.leave()
            }
        }
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            process.waitUntilExit()
            finished.signal()
        }
        if finished.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            readers.wait()
            throw Failure.timedOut(timeoutSeconds)
        }
        readers.wait()
        guard process.terminationStatus == 0 else {
            throw Failure.failed(status: process.terminationStatus, stderr: collected.errorText)
        }
        return collected.outputText
    }
}

/// Output collected from two reader threads.
private final class CollectedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var output = Data()
    private var errors = Data()

    func set(_ data: Data, isError: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if isError { errors = data } else { output = data }
    }

    var outputText: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: output, as: UTF8.self)
    }

    var errorText: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: errors, as: UTF8.self)
    }
}
