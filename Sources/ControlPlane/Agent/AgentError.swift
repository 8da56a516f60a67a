/// Why an agent could not do what the control plane asked. Each case names the task (or the
/// step) it is about.
public enum AgentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The agent has no task with this ID.
    case taskNotFound(taskID: String)
    /// The task cannot be started on this host; `stoppedReason` is the text ECS would record for
    /// it (e.g. `CannotPullContainerError: ...`, `ResourceInitializationError: ...`).
    case launchRefused(taskID: String, stoppedReason: String)
    /// The runtime failed to deliver a stop request.
    case stopFailed(taskID: String, message: String)
    /// The operation needs the task stopped first.
    case taskNotStopped(taskID: String)
    /// Reading the host's capacity or identity failed (`step` names what was read).
    case hostInspection(step: String, message: String)
    /// The agent's own records (which runtime task belongs to which ECS task) could not be read
    /// or written; `path` is the file.
    case ledger(step: String, path: String, message: String)
    /// The agent could not be reached (remote agents).
    case unreachable(message: String)

    public var description: String {
        switch self {
        case .taskNotFound(let id): "agent: task \(id) not found"
        case .launchRefused(let id, let reason): "agent: task \(id) could not be started: \(reason)"
        case .stopFailed(let id, let message): "agent: stopping task \(id): \(message)"
        case .taskNotStopped(let id): "agent: task \(id) is not stopped"
        case .hostInspection(let step, let message): "agent: \(step): \(message)"
        case .ledger(let step, let path, let message): "agent: \(step) (\(path)): \(message)"
        case .unreachable(let message): "agent unreachable: \(message)"
        }
    }
}
