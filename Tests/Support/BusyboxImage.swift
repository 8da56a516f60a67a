import Foundation
import Synchronization

/// The repository's busybox image as an OCI layout, built once per test process with
/// `scripts/build-busybox-image.sh` (from Debian's busybox-static).
public enum BusyboxImage {
    /// The script failed.
    public struct BuildFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Longest the build script may run (it may have to download the Debian package).
    public static let buildTimeLimit: TimeInterval = 300

    /// The layout directory once built; the lock also makes concurrent first callers wait for
    /// one build instead of racing two into the same directory.
    private static let built = Mutex<String?>(nil)

    /// The repository root (where `scripts/` is): this file is `Tests/Support/BusyboxImage.swift`.
    public static var repository: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// The OCI layout directory, building it on the first call of this process.
    public static func layout() throws -> String {
        try built.withLock { (built: inout String?) throws -> String in
            if let built { return built }
            let output = NSTemporaryDirectory() + "wharf-busybox-\(getpid())"
            if !FileManager.default.fileExists(atPath: output + "/index.json") {
                let result = try Subprocess.run(
                    executable: "/bin/bash", arguments: [repository + "/scripts/build-busybox-image.sh", output],
                    timeLimit: buildTimeLimit)
                guard result.status == 0 else {
                    throw BuildFailure(
                        description: "scripts/build-busybox-image.sh failed with \(result.status): \(result.stderrText)")
                }
            }
            built = output
            // The layout is this process's alone (named by its pid): it goes when the process
            // exits, so test runs leave nothing in the temporary directory.
            atexit(removeBuiltLayout)
            return output
        }
    }
}

/// Removes the layout `BusyboxImage.layout()` built (an `atexit` handler, so a C function:
/// it captures nothing and finds the path through the pid, as `layout()` named it).
private func removeBuiltLayout() {
    try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "wharf-busybox-\(getpid())")
}
