import Histogram

/// The counters of one load-balancer worker, written on its event loop with no locks.
///
/// Each worker thread owns one instance and is its only user (it is deliberately not
/// `Sendable`). The request path calls the recording methods with the dense indexes of the
/// current ``layout``; each is a handful of indexed increments and, for latencies, one
/// histogram record per level, with no allocation once the histograms have grown to the
/// latencies seen. About four times a second the worker calls ``drainDelta(now:flushLatencies:)``
/// and hands the result to the shared ``StatisticsHub``; a new routing snapshot is installed
/// with ``install(_:now:)``.
///
/// Call sequences the engine follows:
/// - a forwarded request: ``requestStarted(listener:group:target:)``, then
///   ``targetResponded(group:target:status:responseTime:)`` when the response head arrives, then
///   ``requestCompleted(listener:group:target:status:duration:)``;
/// - a retry: ``requestRetried(group:failedTarget:)`` for the failed attempt, then
///   ``requestSent(group:target:)`` for the next one;
/// - a request the load balancer answers itself: ``requestReceived(listener:)`` (and
///   ``requestRouted(group:)`` once a group was chosen), then one of the `lbErrorSent` methods
///   naming every level the request reached.
///
/// Latencies are microseconds; values above 60 s are recorded as 60 s.
public final class WorkerStatistics {
    /// The layout the indexes of the recording methods refer to: the last one installed, plus
    /// any listener or target that left it while connections to it were still open (appended
    /// at the end of the listeners or of its group's targets, and dropped by a later install
    /// once its connections are closed).
    public internal(set) var layout: StatisticsLayout

    // Everything below is touched only by the owning worker thread, between drains; the
    // arrays are indexed by the layout's listener, target group and flat target slot.
    @exclusivity(unchecked) @usableFromInline var firstTargetSlot: [Int]
    @exclusivity(unchecked) @usableFromInline var listenerCounts: [TrafficCounts]
    @exclusivity(unchecked) @usableFromInline var targetGroupCounts: [TrafficCounts]
    @exclusivity(unchecked) @usableFromInline var targetCounts: [TrafficCounts]
    /// `StatusCodeTable.width` counters per target slot.
    @exclusivity(unchecked) @usableFromInline var statusCodes: [UInt32]
    @exclusivity(unchecked) @usableFromInline var listenerRequestDurations: [Histogram<UInt32>]
    @exclusivity(unchecked) @usableFromInline var targetGroupRequestDurations: [Histogram<UInt32>]
    @exclusivity(unchecked) @usableFromInline var targetResponseTimes: [Histogram<UInt32>]
    @exclusivity(unchecked) @usableFromInline var targetRequestDurations: [Histogram<UInt32>]
    /// Client connections open per listener as of the last drain (the gauge survives drains).
    var openClientConnections: [Int64]
    /// Target connections open per target slot as of the last drain.
    var openTargetConnections: [Int64]
    /// Zeroed histograms to continue with after handing filled ones over.
    var emptyHistograms = EmptyHistograms()
    /// The 10-s latency slice the histograms are collecting (`nil` before the first drain).
    var latencySlice: Int64?

    /// Statistics for `layout`, all zero.
    public init(layout: StatisticsLayout) {
        self.layout = layout
        firstTargetSlot = layout.firstTargetSlot
        listenerCounts = Array(repeating: .zero, count: layout.listeners.count)
        targetGroupCounts = Array(repeating: .zero, count: layout.targetGroups.count)
        targetCounts = Array(repeating: .zero, count: layout.targetSlotCount)
        statusCodes = Array(repeating: 0, count: layout.targetSlotCount * StatusCodeTable.width)
        listenerRequestDurations = (0..<layout.listeners.count).map { _ in LatencyScale.makeHistogram() }
        targetGroupRequestDurations = (0..<layout.targetGroups.count).map { _ in LatencyScale.makeHistogram() }
        targetResponseTimes = (0..<layout.targetSlotCount).map { _ in LatencyScale.makeHistogram() }
        targetRequestDurations = (0..<layout.targetSlotCount).map { _ in LatencyScale.makeHistogram() }
        openClientConnections = Array(repeating: 0, count: layout.listeners.count)
        openTargetConnections = Array(repeating: 0, count: layout.targetSlotCount)
    }

    /// The flat slot of target `target` of group `group`; traps when the target is not in the group.
    @inlinable
    func slot(group: Int, target: Int) -> Int {
        let slot = firstTargetSlot[group] &+ target
        precondition(target >= 0 && slot < firstTargetSlot[group &+ 1], "target index outside its target group")
        return slot
    }
}

// MARK: Connections

extension WorkerStatistics {
    /// A client connection was accepted on `listener`.
    @inlinable
    public func clientConnectionOpened(listener: Int) {
        listenerCounts[listener].connectionsOpened &+= 1
    }

    /// A client connection on `listener` was closed.
    @inlinable
    public func clientConnectionClosed(listener: Int) {
        listenerCounts[listener].connectionsClosed &+= 1
    }

    /// A connection to a target was established.
    @inlinable
    public func targetConnectionOpened(group: Int, target: Int) {
        targetCounts[slot(group: group, target: target)].connectionsOpened &+= 1
    }

    /// A connection to a target was closed.
    @inlinable
    public func targetConnectionClosed(group: Int, target: Int) {
        targetCounts[slot(group: group, target: target)].connectionsClosed &+= 1
    }
}

// MARK: Requests

extension WorkerStatistics {
    /// A request head was received on `listener` (counted whatever happens to it next).
    @inlinable
    public func requestReceived(listener: Int) {
        listenerCounts[listener].requests &+= 1
    }

    /// A received request was routed to target group `group` (counted once per request).
    @inlinable
    public func requestRouted(group: Int) {
        targetGroupCounts[group].requests &+= 1
    }

    /// An attempt of a request was sent to a target (counted per attempt, retries included).
    @inlinable
    public func requestSent(group: Int, target: Int) {
        targetCounts[slot(group: group, target: target)].requests &+= 1
    }

    /// The common case in one call: a request received on `listener`, routed to `group` and
    /// sent to `target`.
    @inlinable
    public func requestStarted(listener: Int, group: Int, target: Int) {
        listenerCounts[listener].requests &+= 1
        targetGroupCounts[group].requests &+= 1
        targetCounts[slot(group: group, target: target)].requests &+= 1
    }

    /// The attempt on `failedTarget` failed and the request will be sent again (to the target
    /// the next ``requestSent(group:target:)`` names).
    @inlinable
    public func requestRetried(group: Int, failedTarget: Int) {
        targetCounts[slot(group: group, target: failedTarget)].retries &+= 1
    }
}

// MARK: Responses

extension WorkerStatistics {
    /// A target's response head arrived: counts the response by exact code and records the
    /// target response time (request sent to first response byte), in microseconds.
    @inlinable
    public func targetResponded(group: Int, target: Int, status: Int, responseTime: UInt64) {
        let slot = slot(group: group, target: target)
        statusCodes[slot &* StatusCodeTable.width &+ StatusCodeTable.column(of: status)] &+= 1
        let microseconds = LatencyScale.clamped(responseTime)
        targetResponseTimes[slot].record(microseconds)
        targetCounts[slot].targetResponseMicroseconds &+= microseconds
    }

    /// A target's response was sent to the client in full: counts the forwarded response on
    /// the listener and records the request duration (request received to response completed),
    /// in microseconds, on the listener, the target group and the target.
    @inlinable
    public func requestCompleted(listener: Int, group: Int, target: Int, status: Int, duration: UInt64) {
        let microseconds = LatencyScale.clamped(duration)
        listenerCounts[listener].responses.count(status: status)
        listenerCounts[listener].requestDurationMicroseconds &+= microseconds
        listenerRequestDurations[listener].record(microseconds)
        targetGroupCounts[group].requestDurationMicroseconds &+= microseconds
        targetGroupRequestDurations[group].record(microseconds)
        let slot = slot(group: group, target: target)
        targetCounts[slot].requestDurationMicroseconds &+= microseconds
        targetRequestDurations[slot].record(microseconds)
    }

    /// A listener's in-process application (the ECS API, the dashboard) answered a request and
    /// its response is out: counts the response by status class on the listener and records the
    /// request duration (request received to response completed), in microseconds. Application
    /// requests have no target group or target.
    @inlinable
    public func applicationResponded(listener: Int, status: Int, duration: UInt64) {
        let microseconds = LatencyScale.clamped(duration)
        listenerCounts[listener].responses.count(status: status)
        listenerCounts[listener].requestDurationMicroseconds &+= microseconds
        listenerRequestDurations[listener].record(microseconds)
    }

    /// The load balancer answered a request with `error` before choosing a target group
    /// (a malformed or oversized request, or a client timeout).
    @inlinable
    public func lbErrorSent(_ error: LBErrorCode, listener: Int, duration: UInt64) {
        let microseconds = LatencyScale.clamped(duration)
        listenerCounts[listener].lbErrors[error] &+= 1
        listenerCounts[listener].requestDurationMicroseconds &+= microseconds
        listenerRequestDurations[listener].record(microseconds)
    }

    /// The load balancer answered a request routed to `group` with `error` without a target
    /// to blame (typically 503: no healthy target).
    @inlinable
    public func lbErrorSent(_ error: LBErrorCode, listener: Int, group: Int, duration: UInt64) {
        lbErrorSent(error, listener: listener, duration: duration)
        let microseconds = LatencyScale.clamped(duration)
        targetGroupCounts[group].lbErrors[error] &+= 1
        targetGroupCounts[group].requestDurationMicroseconds &+= microseconds
        targetGroupRequestDurations[group].record(microseconds)
    }

    /// The load balancer answered a request with `error` because of `target` (502: connection
    /// refused or invalid response; 504: the target did not answer in time).
    @inlinable
    public func lbErrorSent(_ error: LBErrorCode, listener: Int, group: Int, target: Int, duration: UInt64) {
        lbErrorSent(error, listener: listener, group: group, duration: duration)
        let microseconds = LatencyScale.clamped(duration)
        let slot = slot(group: group, target: target)
        targetCounts[slot].lbErrors[error] &+= 1
        targetCounts[slot].requestDurationMicroseconds &+= microseconds
        targetRequestDurations[slot].record(microseconds)
    }
}

// MARK: Bytes and health

extension WorkerStatistics {
    /// Bytes read from a client of `listener`.
    @inlinable
    public func clientBytesReceived(_ count: Int, listener: Int) {
        listenerCounts[listener].bytesReceived &+= UInt64(truncatingIfNeeded: count)
    }

    /// Bytes written to a client of `listener`.
    @inlinable
    public func clientBytesSent(_ count: Int, listener: Int) {
        listenerCounts[listener].bytesSent &+= UInt64(truncatingIfNeeded: count)
    }

    /// Bytes read from a target.
    @inlinable
    public func targetBytesReceived(_ count: Int, group: Int, target: Int) {
        targetCounts[slot(group: group, target: target)].bytesReceived &+= UInt64(truncatingIfNeeded: count)
    }

    /// Bytes written to a target.
    @inlinable
    public func targetBytesSent(_ count: Int, group: Int, target: Int) {
        targetCounts[slot(group: group, target: target)].bytesSent &+= UInt64(truncatingIfNeeded: count)
    }

    /// Passive health checking took the target out of rotation after observed failures.
    @inlinable
    public func targetEjected(group: Int, target: Int) {
        targetCounts[slot(group: group, target: target)].passiveEjections &+= 1
    }
}
