import ImageStore
import LinuxHost

/// Why the runtime refused or failed a request. Each case names what it was about.
public enum RuntimeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field of the runtime's configuration is invalid; `field` names it, e.g. `vethPrefix`.
    case invalidConfiguration(field: String, message: String)
    /// A field of the task spec is invalid; `field` is its path, e.g. `containers[1].memory`.
    case invalidSpec(field: String, message: String)
    /// A container's image is not in the local store.
    case imageNotFound(field: String, image: String, underlying: String)
    /// No task with this id (or unique id prefix).
    case taskNotFound(String)
    /// The task has no container of this name.
    case containerNotFound(taskID: String, container: String, known: [String])
    /// More than one task matches an id prefix.
    case ambiguousTask(String)
    /// The operation needs the task stopped first.
    case taskNotStopped(String)
    /// A host operation failed while launching; everything created so far was rolled back.
    case launchFailed(taskID: String, underlying: SystemError)
    /// A host operation failed outside a launch.
    case system(SystemError)
    /// Writing or reading the task record failed.
    case record(taskID: String, message: String)
    /// Waiting for a task state timed out.
    case timedOut(taskID: String, waitingFor: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let field, let message): return "invalid runtime configuration: \(field): \(message)"
        case .invalidSpec(let field, let message): return "invalid task: \(field): \(message)"
        case .imageNotFound(let field, let image, let underlying):
            return "invalid task: \(field): image \(image) not found: \(underlying)"
        case .taskNotFound(let id): return "task \(id) not found"
        case .containerNotFound(let id, let container, let known):
            return "task \(id) has no container named \(container) (it has \(known.joined(separator: ", ")))"
        case .ambiguousTask(let id): return "task id \(id) matches more than one task"
        case .taskNotStopped(let id): return "task \(id) is not stopped"
        case .launchFailed(let id, let underlying): return "launch of task \(id) failed: \(underlying)"
        case .system(let error): return "\(error)"
        case .record(let id, let message): return "task \(id): \(message)"
        case .timedOut(let id, let what): return "task \(id): timed out waiting for \(what)"
        }
    }
}
