import Foundation
import LinuxHost

/// Task ids: 32 lowercase hex digits, as ECS task ids look.
enum TaskID {
    /// Characters in a task id.
    static let length = 32

    /// The names in `directory` that are task ids (none if it is missing).
    static func entries(in directory: String) -> [String] {
        ((try? FileSystem.listDirectory(directory)) ?? []).filter { $0.count == length }
    }

    /// A new random task id.
    static func new() -> String {
        // The UUID's 16 bytes as lowercase hex (its string without dashes), without Foundation's
        // string replacing, which was a visible part of the launch call's own CPU time.
        withUnsafeBytes(of: UUID().uuid) { Hex.lowercase($0) }
    }
}
