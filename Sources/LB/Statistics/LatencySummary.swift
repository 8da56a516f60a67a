import Histogram

/// Percentiles and extremes of a set of latencies, in microseconds.
///
/// Values are exact to the histogram's resolution (three significant digits): a percentile is
/// the highest value equivalent to the sample at that rank, as HdrHistogram reports it.
public struct LatencySummary: Hashable, Sendable {
    /// Number of samples.
    public var count: UInt64
    public var minimum: UInt64
    public var mean: Double
    public var p50: UInt64
    public var p90: UInt64
    public var p99: UInt64
    public var maximum: UInt64

    /// The summary of no samples: every figure zero.
    public static let empty = LatencySummary(count: 0, minimum: 0, mean: 0, p50: 0, p90: 0, p99: 0, maximum: 0)

    public init(count: UInt64, minimum: UInt64, mean: Double, p50: UInt64, p90: UInt64, p99: UInt64, maximum: UInt64) {
        self.count = count
        self.minimum = minimum
        self.mean = mean
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.maximum = maximum
    }

    /// Summarises `histogram` in one pass over its occupied buckets.
    ///
    /// Same results as HdrHistogram's `valueAtPercentile` and `mean`, which are not inlinable
    /// and would walk the counts once per figure in generic code.
    init<Count>(_ histogram: Histogram<Count>) where Count: FixedWidthInteger & Codable & Sendable {
        let total = histogram.totalCount
        guard total > 0 else {
            self = .empty
            return
        }
        let minimum = histogram.min
        let maximumRecorded = histogram.maxRecorded
        let percentiles: [Double] = [50, 90, 99]
        let ranks = percentiles.map { percentile -> UInt64 in
            let fraction = Swift.min(Swift.max(percentile.nextDown, 0), 100)
            return Swift.max(1, UInt64((fraction * Double(total) / 100).rounded(.up)))
        }
        var values: [UInt64] = Array(repeating: maximumRecorded, count: ranks.count)
        var next = 0
        var cumulative: UInt64 = 0
        var weightedSum = 0.0
        for bucket in histogram.recordedValues() {
            let count = UInt64(bucket.count)
            cumulative += count
            while next < ranks.count, cumulative >= ranks[next] {
                values[next] = Swift.max(Swift.min(bucket.value, maximumRecorded), minimum)
                next += 1
            }
            let median = histogram.lowestEquivalentForValue(bucket.value) + (histogram.sizeOfEquivalentRangeForValue(bucket.value) >> 1)
            weightedSum += Double(median) * Double(count)
        }
        self.init(
            count: total, minimum: minimum, mean: weightedSum / Double(total),
            p50: values[0], p90: values[1], p99: values[2], maximum: histogram.max
        )
    }

    /// The value at `quantile`, for exposition.
    public func value(atQuantile quantile: LatencyQuantile) -> UInt64 {
        switch quantile {
        case .median: return p50
        case .p90: return p90
        case .p99: return p99
        case .maximum: return maximum
        }
    }
}

/// The quantiles a ``LatencySummary`` reports.
public enum LatencyQuantile: CaseIterable, Sendable {
    case median, p90, p99, maximum

    /// The quantile as a fraction: the `quantile` label of the Prometheus summary.
    public var fraction: String {
        switch self {
        case .median: return "0.5"
        case .p90: return "0.9"
        case .p99: return "0.99"
        case .maximum: return "1"
        }
    }
}
