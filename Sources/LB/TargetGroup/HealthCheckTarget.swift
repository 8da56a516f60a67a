/// One entry of the health checker's work list: a target to check, where and how.
public struct HealthCheckTarget: Sendable, Equatable {
    public var id: TargetID
    public var targetGroup: String
    /// The address to connect to, with the health check port applied.
    public var endpoint: TargetEndpoint
    /// The target's address as registered (for the `Host` header and logs).
    public var host: String
    /// The port checked (the traffic port unless the group names another).
    public var port: Int
    public var `protocol`: HealthCheckConfiguration.CheckProtocol
    public var path: String
    public var intervalSeconds: Int
    public var timeoutSeconds: Int
    public var matcher: HTTPStatusMatcher
    /// When the last result for this target was recorded; nil if never. The next check is due
    /// at `lastCheckAt + intervalSeconds`.
    public var lastCheckAt: Double?
}
