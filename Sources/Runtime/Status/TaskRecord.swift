/// What the runtime writes about a task when it launches it (`spec.json` in the task directory).
struct TaskRecord: Codable, Sendable {
    var id: String
    var spec: TaskSpec
    /// Wall-clock nanoseconds: launch call, network ready (set, in every network mode, only in
    /// the launch's final write of the record).
    var launchStartedAt: Int64
    var networkReadyAt: Int64?
    var address: String?
    var subnet: String?
    var hostname: String?
    /// `eth0`'s MAC address (awsvpc).
    var macAddress: String?
    /// The manifest digest (`sha256:…`) of each container's image as the launch resolved it, in
    /// the spec's container order (nil in records of launches before it was recorded).
    var imageDigests: [String]?
    /// Bridge mode: the container ports published on the host (nil when none).
    var portBindings: [PortBinding]?
}
