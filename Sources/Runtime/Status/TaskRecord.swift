/// What the runtime writes about a task when it launches it (`spec.json` in the task directory).
struct TaskRecord: Codable, Sendable {
    var id: String
    var spec: TaskSpec
    /// Wall-clock nanoseconds: launch call, network ready, supervisor started.
    var launchStartedAt: Int64
    var networkReadyAt: Int64?
    var supervisorSpawnedAt: Int64?
    var address: String?
    var subnet: String?
    var hostname: String?
}
