/// One health check as remembered for `describeTargetHealth`.
public struct HealthCheckRecord: Sendable, Equatable {
    /// When the check completed (monotonic seconds).
    public var time: Double
    public var result: HealthCheckResult

    public init(time: Double, result: HealthCheckResult) {
        self.time = time
        self.result = result
    }

    public var passed: Bool { result.passed }
    /// The response code, if a response arrived.
    public var status: Int? { result.status }
    /// Seconds the check took, if a response arrived.
    public var duration: Double? { result.duration }
}
