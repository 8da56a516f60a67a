/// The files of one task, all under its task directory (`DATA/tasks/TASKID`).
///
/// The directory is the task's whole record: the runtime writes `spec.json` and `plan`, the
/// supervisor writes `supervisor.pid`, `events` and the logs. Reading it back is enough to know
/// the task after any crash.
public struct TaskLayout: Equatable, Sendable {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    public var plan: String { directory + "/plan" }
    public var spec: String { directory + "/spec.json" }
    public var events: String { directory + "/events" }
    public var supervisorPID: String { directory + "/supervisor.pid" }
    /// The supervisor's own diagnostics (its stderr).
    public var supervisorLog: String { directory + "/supervisor.log" }
    /// Written by the runtime before it signals the supervisor to stop: the stop reason.
    public var stopRequest: String { directory + "/stop-request" }
    public var logs: String { directory + "/logs" }
    public var containers: String { directory + "/containers" }
    public var volumes: String { directory + "/volumes" }

    public func log(of container: String) -> String { logs + "/" + container + ".log" }
    public func containerDirectory(_ container: String) -> String { containers + "/" + container }
    public func rootfs(of container: String) -> String { containerDirectory(container) + "/rootfs" }
    public func upperDirectory(of container: String) -> String { containerDirectory(container) + "/upper" }
    public func workDirectory(of container: String) -> String { containerDirectory(container) + "/work" }
    /// The directories a container's overlay root needs before it is mounted: writable layer,
    /// overlay work directory and mount point.
    public func overlayDirectories(of container: String) -> [String] {
        [upperDirectory(of: container), workDirectory(of: container), rootfs(of: container)]
    }
    public func volume(_ name: String) -> String { volumes + "/" + name }
}
