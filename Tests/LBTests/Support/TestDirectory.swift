import Foundation

/// A temporary directory for one test (backend script, configuration files, certificates,
/// process output), removed by `remove()`.
final class TestDirectory: Sendable {
    let path: String

    init(prefix: String) throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The absolute path of `name` inside the directory.
    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `text` to `name` (replacing it) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let target = file(name)
        try text.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
