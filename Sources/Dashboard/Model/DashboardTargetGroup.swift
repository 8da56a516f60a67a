/// One load balancer target group: traffic figures and its targets' health.
public struct DashboardTargetGroup: Sendable, Equatable, Codable {
    public var name: String
    /// Requests per second over the last 10 whole seconds.
    public var requestsPerSecond: Double
    /// Requests per second over the last 60 whole seconds.
    public var requestsPerSecondLastMinute: Double
    public var requestsTotal: UInt64
    /// 5xx responses from targets plus 5xx errors the load balancer generated, since start.
    public var serverErrorsTotal: UInt64
    public var activeConnections: Int64
    /// Target response time over the last minute.
    public var responseTime: DashboardLatency
    public var targets: [DashboardTarget]

    public init(
        name: String, requestsPerSecond: Double, requestsPerSecondLastMinute: Double, requestsTotal: UInt64,
        serverErrorsTotal: UInt64, activeConnections: Int64, responseTime: DashboardLatency, targets: [DashboardTarget]
    ) {
        self.name = name
        self.requestsPerSecond = requestsPerSecond
        self.requestsPerSecondLastMinute = requestsPerSecondLastMinute
        self.requestsTotal = requestsTotal
        self.serverErrorsTotal = serverErrorsTotal
        self.activeConnections = activeConnections
        self.responseTime = responseTime
        self.targets = targets
    }
}

/// One registered target and its health, with ALB's state and reason code.
public struct DashboardTarget: Sendable, Equatable, Codable {
    /// The registry's id for this registration.
    public var id: UInt64
    public var address: String
    public var port: Int
    /// `initial`, `healthy`, `unhealthy`, `unused`, `draining`, `unavailable`.
    public var state: String
    /// ALB's reason code (`Target.ResponseCodeMismatch`), nil when healthy.
    public var reason: String?
    /// ALB's description (`Health checks failed with these codes: [500]`).
    public var description: String?
    /// When the state last changed (Unix seconds).
    public var lastStateChange: Double
    /// Recent active health checks, oldest first.
    public var recentChecks: [DashboardHealthCheck]
    /// Requests per second over the last 10 whole seconds.
    public var requestsPerSecond: Double
    public var responseTime: DashboardLatency

    public init(
        id: UInt64, address: String, port: Int, state: String, reason: String? = nil, description: String? = nil,
        lastStateChange: Double, recentChecks: [DashboardHealthCheck] = [], requestsPerSecond: Double = 0,
        responseTime: DashboardLatency = .empty
    ) {
        self.id = id
        self.address = address
        self.port = port
        self.state = state
        self.reason = reason
        self.description = description
        self.lastStateChange = lastStateChange
        self.recentChecks = recentChecks
        self.requestsPerSecond = requestsPerSecond
        self.responseTime = responseTime
    }

    /// Whether the target is failing its health checks.
    public var isFailing: Bool { state == "unhealthy" }
}

/// One active health check of a target.
public struct DashboardHealthCheck: Sendable, Equatable, Codable {
    /// When it completed (Unix seconds).
    public var time: Double
    public var passed: Bool
    /// The response code, when a response arrived.
    public var status: Int?
    /// How long the check took in milliseconds, when a response arrived.
    public var latencyMilliseconds: Double?
    /// A one-line account (`passed (200)`, `failed: connect: Connection refused`).
    public var detail: String

    public init(time: Double, passed: Bool, status: Int? = nil, latencyMilliseconds: Double? = nil, detail: String) {
        self.time = time
        self.passed = passed
        self.status = status
        self.latencyMilliseconds = latencyMilliseconds
        self.detail = detail
    }
}

/// Latency percentiles in milliseconds over a window.
public struct DashboardLatency: Sendable, Equatable, Codable {
    /// Samples in the window.
    public var count: UInt64
    public var p50: Double
    public var p90: Double
    public var p99: Double

    public static let empty = DashboardLatency(count: 0, p50: 0, p90: 0, p99: 0)

    public init(count: UInt64, p50: Double, p90: Double, p99: Double) {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
    }
}
