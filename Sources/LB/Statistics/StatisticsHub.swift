import Synchronization

/// The load balancer's statistics, shared by every worker and every reader.
///
/// Workers merge their deltas about four times a second (``merge(_:now:)``, under a mutex
/// held for the time it takes to add the counts in); readers (the autoscaler, the dashboard,
/// `/metrics`) take consistent views from any thread. Listeners and target groups are kept by
/// name and targets by group name and id, so figures survive routing snapshots. Time is the
/// caller's monotonic clock in seconds; a delta is counted in the whole second its merge
/// happens in, and rates count whole seconds only (the current, partial one is left out).
public final class StatisticsHub: Sendable {
    public let configuration: StatisticsHubConfiguration
    private let state: Mutex<HubState>

    public init(configuration: StatisticsHubConfiguration = StatisticsHubConfiguration()) {
        self.configuration = configuration
        state = Mutex(HubState(configuration: configuration))
    }

    /// Adds a worker's delta, as counted at `now`.
    ///
    /// Merge every drain, also when the delta is empty: that is how the hub knows the
    /// delta's layout (and every entity in it) is still in use.
    public func merge(_ delta: StatisticsDelta, now: Double) {
        state.withLock { $0.merge(delta, now: now) }
    }

    /// Every listener, target group and target with cumulative counts, rates, latency
    /// summaries and open connections as of `now`.
    ///
    /// Only value copies are taken under the lock (histograms and rings are shared
    /// copy-on-write); percentiles are computed after it is released.
    public func snapshot(now: Double) -> LBStatisticsSnapshot {
        let copies = state.withLock { $0.copies() }
        return SnapshotBuilder(now: now).snapshot(of: copies)
    }

    /// Requests per second routed to `targetGroup` over the last `window` whole seconds
    /// (capped at the seconds kept); zero for a group the hub has not seen.
    public func requestRate(targetGroup: String, window: Int, now: Double) -> Double {
        let window = min(max(window, 1), configuration.secondsKeptPerTargetGroup)
        let sum = state.withLock { state in
            state.entities[.targetGroup(targetGroup)]?.perSecond.requestSum(last: window, before: HubEntity.second(of: now)) ?? 0
        }
        return Double(sum) / Double(window)
    }

    /// Requests routed to `targetGroup` in each of the last `count` whole seconds, oldest
    /// first, ending with the second before `now`'s (what `ALBRequestCountPerTarget` divides
    /// by the number of healthy targets). Zeros for a group the hub has not seen.
    public func requestCountPerSecond(targetGroup: String, last count: Int, now: Double) -> [Int] {
        series(targetGroup: targetGroup, seconds: count, now: now).requests
    }

    /// Requests and server errors of `targetGroup` per second over the last `seconds` whole
    /// seconds (capped at the seconds kept), for charts.
    public func series(targetGroup: String, seconds: Int, now: Double) -> RequestSeries {
        series(of: .targetGroup(targetGroup), seconds: seconds, now: now)
    }

    /// Requests and server errors of `listener` per second over the last `seconds` whole seconds.
    public func series(listener: String, seconds: Int, now: Double) -> RequestSeries {
        series(of: .listener(listener), seconds: seconds, now: now)
    }

    /// An estimate of the bytes the hub holds (counts arrays, rings, histograms).
    public var estimatedFootprintInBytes: Int {
        state.withLock { $0.estimatedFootprintInBytes }
    }

    private func series(of key: HubEntityKey, seconds: Int, now: Double) -> RequestSeries {
        let count = min(max(seconds, 0), configuration.secondsKeptPerTargetGroup)
        let second = HubEntity.second(of: now)
        let ring = state.withLock { $0.entities[key]?.perSecond }
        guard let ring else {
            let zeros = Array(repeating: 0, count: count)
            return RequestSeries(firstSecond: second - Int64(count), requests: zeros, serverErrors: zeros)
        }
        return RequestSeries(
            firstSecond: second - Int64(count),
            requests: ring.requests(last: count, before: second),
            serverErrors: ring.serverErrors(last: count, before: second)
        )
    }
}
