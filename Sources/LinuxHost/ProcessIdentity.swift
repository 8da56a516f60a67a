#if canImport(Glibc)
import Glibc
#endif

/// A process named by its pid *and* its start time, so a recycled pid is never mistaken for it.
///
/// Written to a task's `supervisor.pid` so a restarted runtime finds the supervisor again
/// (re-adoption) and can tell a live supervisor from a dead one whose pid was reused.
public struct ProcessIdentity: Equatable, Sendable, CustomStringConvertible {
    public var pid: Int32
    /// Field 22 of `/proc/PID/stat`: start time in clock ticks since boot.
    public var startTime: UInt64

    public init(pid: Int32, startTime: UInt64) {
        self.pid = pid
        self.startTime = startTime
    }

    /// Reads the identity of a running process; `nil` when it does not exist.
    public static func of(pid: Int32) -> ProcessIdentity? {
        guard let stat = try? FileSystem.read("/proc/\(pid)/stat"),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may contain spaces) start at field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let start = UInt64(fields[19]) else { return nil }
        return ProcessIdentity(pid: pid, startTime: start)
    }

    /// Whether this very process is still alive (same pid, same start time, not a zombie).
    public var isAlive: Bool {
        guard let current = ProcessIdentity.of(pid: pid), current.startTime == startTime else { return false }
        guard let stat = try? FileSystem.read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else {
            return false
        }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }

    /// `"PID STARTTIME"`, the form stored in pid files.
    public var description: String { "\(pid) \(startTime)" }

    /// Parses the stored form.
    public init?(parsing text: String) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count == 2, let pid = Int32(parts[0]), let start = UInt64(parts[1]) else { return nil }
        self.init(pid: pid, startTime: start)
    }
}
