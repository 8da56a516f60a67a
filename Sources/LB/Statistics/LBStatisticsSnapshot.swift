/// Everything the hub knows at one moment, as plain values: what the dashboard shows, the
/// `/metrics` endpoint renders and the control plane joins with target health.
public struct LBStatisticsSnapshot: Sendable {
    /// The monotonic time (seconds) the snapshot was taken at.
    public var time: Double
    /// Listeners, sorted by name.
    public var listeners: [ListenerStatistics]
    /// Target groups, sorted by name, each with its targets.
    public var targetGroups: [TargetGroupStatistics]

    public init(time: Double, listeners: [ListenerStatistics], targetGroups: [TargetGroupStatistics]) {
        self.time = time
        self.listeners = listeners
        self.targetGroups = targetGroups
    }
}

/// The statistics of one listener.
public struct ListenerStatistics: Sendable {
    public var name: String
    public var traffic: TrafficStatistics

    public init(name: String, traffic: TrafficStatistics) {
        self.name = name
        self.traffic = traffic
    }
}

/// The statistics of one target group and of each of its targets.
public struct TargetGroupStatistics: Sendable {
    public var name: String
    public var traffic: TrafficStatistics
    /// The group's targets, sorted by key then id, including targets no longer routed to
    /// whose figures the hub still keeps.
    public var targets: [TargetStatistics]

    public init(name: String, traffic: TrafficStatistics, targets: [TargetStatistics]) {
        self.name = name
        self.traffic = traffic
        self.targets = targets
    }
}

/// The statistics of one target of a target group.
public struct TargetStatistics: Sendable {
    public var id: UInt64
    /// The target's address as last seen in a layout, e.g. `"10.0.0.5:80"`.
    public var key: String
    public var traffic: TrafficStatistics

    public init(id: UInt64, key: String, traffic: TrafficStatistics) {
        self.id = id
        self.key = key
        self.traffic = traffic
    }
}

/// The figures kept for every listener, target group and target.
public struct TrafficStatistics: Sendable {
    /// Cumulative counts since the hub started (see ``TrafficCounts`` for what each level counts).
    public var counts: TrafficCounts
    /// Responses by exact status code, ascending (target groups and targets).
    public var statusCodes: [StatusCodeCount]
    /// Connections open now: client connections for a listener, target connections otherwise.
    public var activeConnections: Int64
    /// Requests per second over the last 1, 10 and 60 whole seconds.
    public var requestRates: RequestRates
    /// First response byte after the request was sent (target groups and targets).
    public var targetResponseTime: LatencyStatistics
    /// Request received to response completed.
    public var requestDuration: LatencyStatistics

    public init(
        counts: TrafficCounts, statusCodes: [StatusCodeCount], activeConnections: Int64, requestRates: RequestRates,
        targetResponseTime: LatencyStatistics, requestDuration: LatencyStatistics
    ) {
        self.counts = counts
        self.statusCodes = statusCodes
        self.activeConnections = activeConnections
        self.requestRates = requestRates
        self.targetResponseTime = targetResponseTime
        self.requestDuration = requestDuration
    }
}

/// Requests per second, each the count of the last N whole seconds (the current, partial
/// second excluded) divided by N.
public struct RequestRates: Hashable, Sendable {
    public var lastSecond: Double
    public var last10Seconds: Double
    public var last60Seconds: Double

    public init(lastSecond: Double, last10Seconds: Double, last60Seconds: Double) {
        self.lastSecond = lastSecond
        self.last10Seconds = last10Seconds
        self.last60Seconds = last60Seconds
    }

    public static let zero = RequestRates(lastSecond: 0, last10Seconds: 0, last60Seconds: 0)
}

/// One latency over the last minute (at least 60 s, at most 70 s: 10-s slices) and since start.
public struct LatencyStatistics: Hashable, Sendable {
    public var lastMinute: LatencySummary
    public var sinceStart: LatencySummary

    public init(lastMinute: LatencySummary, sinceStart: LatencySummary) {
        self.lastMinute = lastMinute
        self.sinceStart = sinceStart
    }

    public static let empty = LatencyStatistics(lastMinute: .empty, sinceStart: .empty)
}

/// Requests and server errors (5xx responses plus generated 5xx errors) per whole second.
public struct RequestSeries: Hashable, Sendable {
    /// The second (`floor` of the monotonic time) of the first element.
    public var firstSecond: Int64
    /// Requests per second, oldest first.
    public var requests: [Int]
    /// Server errors per second, oldest first.
    public var serverErrors: [Int]

    public init(firstSecond: Int64, requests: [Int], serverErrors: [Int]) {
        self.firstSecond = firstSecond
        self.requests = requests
        self.serverErrors = serverErrors
    }
}
