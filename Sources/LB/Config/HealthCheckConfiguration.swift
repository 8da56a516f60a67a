/// How a target group's targets are health-checked. Names, defaults and ranges are ALB's
/// ("Health checks for your target groups").
public struct HealthCheckConfiguration: Sendable, Equatable {
    /// The protocol of the health check request.
    public enum CheckProtocol: String, Sendable, Equatable, CaseIterable {
        case http = "HTTP"
        case https = "HTTPS"
    }

    /// The port checks are sent to.
    public enum Port: Sendable, Equatable, CustomStringConvertible {
        /// The port each target receives traffic on (ALB's `traffic-port`, the default).
        case trafficPort
        case number(Int)

        public var description: String {
            switch self {
            case .trafficPort: return "traffic-port"
            case .number(let port): return String(port)
            }
        }

        /// The port to check for a target that receives traffic on `trafficPort`.
        public func resolved(trafficPort: Int) -> Int {
            switch self {
            case .trafficPort: return trafficPort
            case .number(let port): return port
            }
        }
    }

    /// ALB allows 5...300 s; Wharf goes down to 2 s so that a new task is in service within
    /// seconds (what autoscaling on request rate needs), as HAProxy's `inter` allows.
    public static let intervalRange: ClosedRange<Int> = 2...300
    /// ALB allows 2...120 s; Wharf allows 1 s, below a 2 s interval.
    public static let timeoutRange: ClosedRange<Int> = 1...120
    public static let thresholdRange: ClosedRange<Int> = 2...10
    /// ALB's longest health check path.
    public static let maxPathLength = 1024

    /// With checks disabled targets are `unavailable` (reason `Target.HealthCheckDisabled`) and
    /// receive traffic, as in ALB.
    public var enabled = true
    public var `protocol`: CheckProtocol = .http
    /// The request target of the check, `/path?query`.
    public var path = "/"
    public var port: Port = .trafficPort
    /// Seconds between checks of one target (2-300, `intervalRange`; default 30).
    public var intervalSeconds = 30
    /// Seconds without a response after which a check fails (1-120, `timeoutRange`, below the
    /// interval; default 5).
    public var timeoutSeconds = 5
    /// Consecutive successes that bring an unhealthy target back (2-10, default 5).
    public var healthyThresholdCount = 5
    /// Consecutive failures that make a target unhealthy (2-10, default 2).
    public var unhealthyThresholdCount = 2
    /// The response codes that count as success (default `200`).
    public var matcher = HTTPStatusMatcher.default

    public init() {}
}
