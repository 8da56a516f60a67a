/// What the hub keys statistics by: names for listeners and target groups, the group's name
/// and the target id for targets, so figures survive layout changes.
enum HubEntityKey: Hashable, Sendable {
    case listener(String)
    case targetGroup(String)
    case target(group: String, id: UInt64)
}

/// The cumulative statistics of one listener, target group or target inside the hub.
///
/// Lives only inside the hub's lock; readers get value copies (``HubEntity/Copy``).
final class HubEntity {
    let key: HubEntityKey
    /// A target's address as last seen (empty for listeners and groups).
    var targetKey: String
    var totals = TrafficCounts()
    /// Responses by exact status code (groups and targets).
    var statusCodes: [Int: UInt64] = [:]
    var perSecond: PerSecondCounts
    /// Target response times (groups and targets), created on the first sample.
    var targetResponseTimes: LatencyWindow?
    /// Request durations, created on the first sample.
    var requestDurations: LatencyWindow?
    /// When the entity last counted something (or was created).
    var lastActivity: Double

    init(key: HubEntityKey, targetKey: String, secondsKept: Int, now: Double) {
        self.key = key
        self.targetKey = targetKey
        perSecond = PerSecondCounts(capacity: secondsKept)
        lastActivity = now
    }

    /// Adds one delta entry's counts and codes, counted at `now`, and its latencies, recorded
    /// in slice `latencySlice`.
    func absorb(_ entry: StatisticsDelta.Entry, counts: TrafficCounts, latencySlice: Int64, now: Double) {
        totals.add(counts)
        for code in entry.statusCodes {
            statusCodes[code.code, default: 0] &+= code.count
        }
        perSecond.add(requests: counts.requests, serverErrors: counts.serverErrors, second: Self.second(of: now))
        Self.record(entry.targetResponseTimes, in: &targetResponseTimes, slice: latencySlice)
        Self.record(entry.requestDurations, in: &requestDurations, slice: latencySlice)
        lastActivity = now
    }

    private static func record(_ samples: LatencySamples, in window: inout LatencyWindow?, slice: Int64) {
        guard !samples.isEmpty else { return }
        var current = window ?? LatencyWindow()
        window = nil // keeps `current` uniquely referenced
        current.record(samples, slice: slice)
        window = current
    }

    /// A value copy for reading outside the hub's lock (histograms and rings are shared
    /// copy-on-write, so this costs reference counts, not bytes).
    var copy: Copy {
        Copy(
            key: key, targetKey: targetKey, totals: totals, statusCodes: statusCodes, perSecond: perSecond,
            targetResponseTimes: targetResponseTimes, requestDurations: requestDurations
        )
    }

    struct Copy: Sendable {
        let key: HubEntityKey
        let targetKey: String
        let totals: TrafficCounts
        let statusCodes: [Int: UInt64]
        let perSecond: PerSecondCounts
        let targetResponseTimes: LatencyWindow?
        let requestDurations: LatencyWindow?
    }

    /// The whole second `now` falls in.
    static func second(of now: Double) -> Int64 {
        Int64(now.rounded(.down))
    }
}
