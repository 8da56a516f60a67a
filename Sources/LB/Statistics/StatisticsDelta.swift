/// What one worker counted since its previous drain, ready for ``StatisticsHub/merge(_:now:)``.
///
/// Only entries with something counted are present; indexes refer to ``layout``. Deltas are
/// made only by ``WorkerStatistics``, so their indexes always fit their layout.
public struct StatisticsDelta: Sendable {
    /// The counts of one listener, target group or target over the interval.
    public struct Entry: Sendable {
        /// The listener index, the target group index, or for a target the index of its group.
        public var index: Int
        /// For a target, its index within the group (`nil` for listeners and target groups).
        public var target: Int?
        public var counts: TrafficCounts
        /// Responses by exact status code (targets only; a group adds up its targets').
        public var statusCodes: [StatusCodeCount]
        /// Target response times: first response byte after the request was sent (targets only).
        public var targetResponseTimes: LatencySamples
        /// Total request durations: request received to response completed.
        public var requestDurations: LatencySamples

        init(
            index: Int, target: Int? = nil, counts: TrafficCounts, statusCodes: [StatusCodeCount] = [],
            targetResponseTimes: LatencySamples = .none, requestDurations: LatencySamples = .none
        ) {
            self.index = index
            self.target = target
            self.counts = counts
            self.statusCodes = statusCodes
            self.targetResponseTimes = targetResponseTimes
            self.requestDurations = requestDurations
        }
    }

    /// The layout the indexes refer to.
    public let layout: StatisticsLayout
    /// The 10-s slice (`floor(time / 10)`) the latency samples were recorded in.
    let latencySlice: Int64
    public internal(set) var listeners: [Entry] = []
    public internal(set) var targetGroups: [Entry] = []
    public internal(set) var targets: [Entry] = []

    init(layout: StatisticsLayout, latencySlice: Int64) {
        self.layout = layout
        self.latencySlice = latencySlice
    }

    /// True when nothing was counted (the delta still tells the hub the layout is in use).
    public var isEmpty: Bool { listeners.isEmpty && targetGroups.isEmpty && targets.isEmpty }
}
