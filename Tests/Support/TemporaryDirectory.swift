import Foundation

/// A fresh directory under the system temporary directory for one test, removed by `remove()`
/// or, at the latest, when the last reference to it goes (also when the test failed).
public final class TemporaryDirectory: Sendable {
    public let path: String
    public var url: URL { URL(fileURLWithPath: path) }

    /// Creates `TMPDIR/PREFIX-RANDOM`.
    public init(prefix: String = "wharf-test") throws {
        path = FileManager.default.temporaryDirectory.path + "/" + prefix + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The absolute path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` (replacing it) and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let target = file(name)
        try text.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    /// Removes the directory and everything in it; removing twice is harmless.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    deinit { remove() }
}
