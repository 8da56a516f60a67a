import Foundation

/// One second of a scalable target's history, for the dashboard's chart of request rate
/// against task count.
public struct ScalingHistorySample: Sendable, Hashable {
    public var time: Date
    /// Requests per second through the target groups its request-count policies watch
    /// (summed over distinct target groups); nil when no policy watches requests.
    public var requestsPerSecond: Double?
    public var desired: Int
    public var running: Int
    public var healthy: Int
    /// The per-target value each target-tracking policy last saw, by policy name.
    public var policyValues: [String: Double]

    public init(time: Date, requestsPerSecond: Double?, desired: Int, running: Int, healthy: Int, policyValues: [String: Double]) {
        self.time = time
        self.requestsPerSecond = requestsPerSecond
        self.desired = desired
        self.running = running
        self.healthy = healthy
        self.policyValues = policyValues
    }
}

/// A bounded per-second history (a ring of at most `capacity` samples, oldest dropped).
struct ScalingHistory: Sendable {
    private var samples: [ScalingHistorySample] = []
    private var start = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    mutating func append(_ sample: ScalingHistorySample) {
        if samples.count < capacity {
            samples.append(sample)
        } else {
            samples[start] = sample
            start = (start + 1) % capacity
        }
    }

    /// Oldest first.
    var ordered: [ScalingHistorySample] {
        Array(samples[start...] + samples[..<start])
    }
}
