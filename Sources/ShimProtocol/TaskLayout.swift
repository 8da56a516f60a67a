/// The files of one task, in two directories: its state and its storage.
///
/// The state directory (`STATE/tasks/TASKID`, on tmpfs under `/run` by default) is the task's
/// record: the runtime writes `spec.json` and `plan`, the supervisor writes `supervisor.pid` and
/// `events`; the containers' roots are mounted there. Reading it back is enough to know the task
/// after any crash of the runtime or its supervisor. It holds small files written on every
/// launch, about processes that a reboot ends anyway, so it lives where runc and containerd keep
/// theirs: creating a file there costs microseconds, not the journal's tenth of a millisecond.
///
/// The storage directory (`DATA/tasks/TASKID`, on disk) holds what may grow large: the
/// containers' logs, their writable layers and the task-scoped volumes.
public struct TaskLayout: Equatable, Sendable {
    /// The task's state directory.
    public var directory: String
    /// The task's storage directory.
    public var storageDirectory: String

    public init(directory: String, storageDirectory: String) {
        self.directory = directory
        self.storageDirectory = storageDirectory
    }

    // MARK: State

    public var plan: String { directory + "/plan" }
    public var spec: String { directory + "/" + Self.recordName }
    /// The name of the runtime's record of a task in its state directory.
    public static let recordName = "spec.json"
    public var events: String { directory + "/events" }
    public var supervisorPID: String { directory + "/supervisor.pid" }
    /// The supervisor's own diagnostics (its stderr).
    public var supervisorLog: String { directory + "/supervisor.log" }
    /// Written by the runtime before it signals the supervisor to stop: the stop reason.
    public var stopRequest: String { directory + "/stop-request" }
    /// The mount points of the containers' roots, one directory per container.
    public var mountPoints: String { directory + "/containers" }
    public func rootfs(of container: String) -> String { mountPoints + "/" + container }

    // MARK: Storage

    public var logs: String { storageDirectory + "/logs" }
    public var containers: String { storageDirectory + "/containers" }
    public var volumes: String { storageDirectory + "/volumes" }

    public func log(of container: String) -> String { logs + "/" + container + ".log" }
    /// The directory of a container's writable layer and overlay work directory.
    public func containerDirectory(_ container: String) -> String { containers + "/" + container }
    public func upperDirectory(of container: String) -> String { containerDirectory(container) + "/upper" }
    public func workDirectory(of container: String) -> String { containerDirectory(container) + "/work" }
    public func volume(_ name: String) -> String { volumes + "/" + name }
}
