/// The counters kept for one listener, target group or target.
///
/// A worker's ``StatisticsDelta`` carries these for the last interval; the hub adds them into
/// cumulative totals. At every level `responses` are responses that came from a target (or, on
/// a listener serving an in-process application, from that application) and `lbErrors` the
/// responses the load balancer generated itself, so the two never overlap (what a listener sent
/// its clients is their sum). Which fields a level uses:
///
/// | field | listener | target group | target |
/// | --- | --- | --- | --- |
/// | `requests` | requests received | requests routed to the group | attempts sent to the target |
/// | `responses` | target (or application) responses sent to clients | sum of its targets | responses received from the target |
/// | `lbErrors` | generated on this listener | generated for a request of this group | generated because of this target |
/// | `bytesReceived` / `bytesSent` | from / to clients | sum of its targets | from / to the target |
/// | `connectionsOpened` / `connectionsClosed` | client connections | sum of its targets | connections to the target |
/// | `retries`, `passiveEjections` | — | sum of its targets | attempts on this target that were retried; ejections of it |
public struct TrafficCounts: Hashable, Sendable {
    public var requests: UInt64 = 0
    public var responses = ResponseClassCounts()
    public var lbErrors = LBErrorCounts()
    public var bytesReceived: UInt64 = 0
    public var bytesSent: UInt64 = 0
    public var connectionsOpened: UInt64 = 0
    public var connectionsClosed: UInt64 = 0
    public var retries: UInt64 = 0
    public var passiveEjections: UInt64 = 0
    /// Sum of the target response times recorded, in microseconds (the summary's `_sum`).
    public var targetResponseMicroseconds: UInt64 = 0
    /// Sum of the request durations recorded, in microseconds (the summary's `_sum`).
    public var requestDurationMicroseconds: UInt64 = 0

    public init() {}

    /// Counts with every field zero.
    public static let zero = TrafficCounts()

    /// Connections open now, when these are cumulative counts (opened minus closed).
    public var activeConnections: Int64 {
        Int64(bitPattern: connectionsOpened &- connectionsClosed)
    }

    /// Server-side failures: 5xx responses plus generated 5xx errors.
    public var serverErrors: UInt64 {
        responses.serverError &+ lbErrors.serverErrors
    }

    /// Adds `other`'s counts to these.
    public mutating func add(_ other: TrafficCounts) {
        requests &+= other.requests
        responses.add(other.responses)
        lbErrors.add(other.lbErrors)
        bytesReceived &+= other.bytesReceived
        bytesSent &+= other.bytesSent
        connectionsOpened &+= other.connectionsOpened
        connectionsClosed &+= other.connectionsClosed
        retries &+= other.retries
        passiveEjections &+= other.passiveEjections
        targetResponseMicroseconds &+= other.targetResponseMicroseconds
        requestDurationMicroseconds &+= other.requestDurationMicroseconds
    }

    /// What a target's counts add to its target group: everything a group derives from its
    /// targets (see the table above), but not attempts, generated errors or request durations,
    /// which the group counts once per request itself.
    var contributionToTargetGroup: TrafficCounts {
        var counts = self
        counts.requests = 0
        counts.lbErrors = LBErrorCounts()
        counts.requestDurationMicroseconds = 0
        return counts
    }
}
