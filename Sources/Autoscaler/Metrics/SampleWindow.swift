/// A bounded, time-ordered history of per-second samples, oldest dropped first.
struct SampleWindow<Sample: Sendable>: Sendable {
    private(set) var entries: [(time: Instant, sample: Sample)] = []
    /// Samples older than this many seconds before the newest are dropped.
    let retentionSeconds: Double

    init(retentionSeconds: Double) {
        self.retentionSeconds = retentionSeconds
    }

    /// Adds `sample` taken at `time`; a time not after the newest replaces nothing and is
    /// ignored, so a tick delivered twice is counted once.
    mutating func append(_ sample: Sample, at time: Instant) {
        if let last = entries.last, time <= last.time { return }
        entries.append((time, sample))
        let horizon = time.advanced(by: -retentionSeconds)
        if let firstKept = entries.firstIndex(where: { $0.time >= horizon }), firstKept > 0 {
            entries.removeFirst(firstKept)
        }
    }

    /// The samples taken after `now - seconds` (the last `seconds` seconds).
    func samples(inLast seconds: Double, before now: Instant) -> [(time: Instant, sample: Sample)] {
        let horizon = now.advanced(by: -seconds)
        return entries.filter { $0.time > horizon && $0.time <= now }
    }

    /// The oldest sample's time, if any.
    var oldestTime: Instant? { entries.first?.time }

    mutating func removeAll() { entries.removeAll() }
}

extension Array where Element == Double {
    /// The median (the mean of the two middle values for an even count); nil when empty.
    var median: Double? {
        guard !isEmpty else { return nil }
        let sorted = self.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The arithmetic mean; nil when empty.
    var mean: Double? {
        isEmpty ? nil : reduce(0, +) / Double(count)
    }
}
