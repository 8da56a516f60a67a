/// What the supervisor appends to a task's `events` file, one record a line.
///
/// The file is append-only and each line is written with one `write`, so a reader sees whole
/// lines, and a crash at worst leaves a torn last line (which `Record.parseAll` skips).
public enum TaskEvent: Equatable, Sendable {
    /// The supervisor started (or was restarted) with this pid.
    case supervisorStarted(pid: Int32, at: Int64)
    /// A container's process was exec'd.
    case containerRunning(name: String, pid: Int32, at: Int64)
    /// A container stopped: `exitCode` is nil when it never ran; `reason` as ECS words it.
    case containerStopped(name: String, exitCode: Int?, reason: String?, at: Int64)
    /// A container's health status changed (HEALTHY, UNHEALTHY).
    case containerHealth(name: String, status: String, output: String?, at: Int64)
    /// The task began stopping; `code` is ECS's stopCode.
    case taskStopping(reason: String, code: String, at: Int64)
    /// Every container is stopped and the task's resources are released.
    case taskStopped(at: Int64)

    public var record: Record {
        switch self {
        case .supervisorStarted(let pid, let at):
            return Record("supervisor", [("pid", "\(pid)"), ("t", "\(at)")])
        case .containerRunning(let name, let pid, let at):
            return Record("container", [("name", name), ("status", "RUNNING"), ("pid", "\(pid)"), ("t", "\(at)")])
        case .containerStopped(let name, let exitCode, let reason, let at):
            var record = Record("container", [("name", name), ("status", "STOPPED")])
            record.add("exit", exitCode.map { "\($0)" })
            record.add("reason", reason)
            record.add("t", "\(at)")
            return record
        case .containerHealth(let name, let status, let output, let at):
            var record = Record("health", [("name", name), ("status", status)])
            record.add("output", output)
            record.add("t", "\(at)")
            return record
        case .taskStopping(let reason, let code, let at):
            return Record("task", [("status", "STOPPING"), ("reason", reason), ("code", code), ("t", "\(at)")])
        case .taskStopped(let at):
            return Record("task", [("status", "STOPPED"), ("t", "\(at)")])
        }
    }

    public init?(record: Record) {
        let at = record.int64("t") ?? 0
        switch (record.kind, record["status"]) {
        case ("supervisor", _):
            guard let pid = record.int("pid") else { return nil }
            self = .supervisorStarted(pid: Int32(pid), at: at)
        case ("container", "RUNNING"):
            guard let name = record["name"], let pid = record.int("pid") else { return nil }
            self = .containerRunning(name: name, pid: Int32(pid), at: at)
        case ("container", "STOPPED"):
            guard let name = record["name"] else { return nil }
            self = .containerStopped(name: name, exitCode: record.int("exit"), reason: record["reason"], at: at)
        case ("health", let status?):
            guard let name = record["name"] else { return nil }
            self = .containerHealth(name: name, status: status, output: record["output"], at: at)
        case ("task", "STOPPING"):
            self = .taskStopping(reason: record["reason"] ?? "", code: record["code"] ?? "", at: at)
        case ("task", "STOPPED"):
            self = .taskStopped(at: at)
        default:
            return nil
        }
    }

    /// Parses an events file.
    public static func parseAll(_ text: String) -> [TaskEvent] {
        Record.parseAll(text).compactMap { TaskEvent(record: $0) }
    }
}
