/// What the control plane asks of one host: the boundary between ECS (store, scheduler,
/// reconciler) and whatever runs containers on a machine.
///
/// Everything crossing it is a value (Codable), and every call is `async`, so an agent in another
/// process or on another host (over HTTP) can implement it as well as ``LocalAgent`` does
/// in-process.
///
/// ## Identity
/// Tasks are named by the control plane's task ID (the 32 hex digits ending the task ARN). The
/// agent keys everything it does by that ID, which makes ``startTask(_:)`` idempotent: starting a
/// task the agent already started returns its report instead of starting it again. That is what
/// lets the reconciler repeat a launch after a crash without doubling the task.
///
/// ## Reporting
/// ``taskReport(_:)`` answers what the agent knows now (nil: it never started the task, or it
/// forgot it). ``statusChanges()`` delivers a report whenever anything in one changes (a
/// container started or exited, health changed, the task stopped), so the control plane follows
/// tasks by events rather than by polling.
public protocol ContainerAgent: AnyObject, Sendable {
    /// The host's capacity and attributes, as RegisterContainerInstance records them.
    func describeHost() async throws(AgentError) -> AgentHostDescription

    /// Starts the task (or returns the report of the one already started under this ID).
    /// Returns once the task has its network and its supervisor; containers start right after.
    /// A task the host cannot start throws ``AgentError/launchRefused(taskID:stoppedReason:)``.
    func startTask(_ request: AgentTaskStart) async throws(AgentError) -> AgentTaskReport

    /// Asks the task to stop: containers get SIGTERM, then SIGKILL after their stop timeout.
    /// Returns at once; the end arrives as reports. Stopping a stopped task does nothing.
    func stopTask(_ taskID: String, reason: String, stopCode: String) async throws(AgentError)

    /// The task's current report, or nil if this agent does not know the task.
    func taskReport(_ taskID: String) async throws(AgentError) -> AgentTaskReport?

    /// Reports of every task the agent knows, stopped ones included until forgotten.
    func taskReports() async throws(AgentError) -> [AgentTaskReport]

    /// Drops a stopped task's records (logs, status) from the host. Throws
    /// ``AgentError/taskNotStopped(taskID:)`` while it still runs; forgetting an unknown task
    /// does nothing.
    func forgetTask(_ taskID: String) async throws(AgentError)

    /// Reports, one per change, for every task of this agent. One consumer: asking again
    /// finishes the stream handed out before.
    func statusChanges() -> AsyncStream<AgentTaskReport>
}
