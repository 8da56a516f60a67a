import Histogram

/// The one scale every latency histogram of the load balancer uses, so any two can be merged:
/// microseconds from 1 us to 60 s at three significant digits (0.1 % resolution).
public enum LatencyScale {
    /// The smallest latency told apart from zero, in microseconds.
    public static let lowestDiscernibleMicroseconds: UInt64 = 1
    /// The largest latency recorded, in microseconds; longer ones are recorded as this (60 s).
    public static let highestMicroseconds: UInt64 = 60_000_000
    /// Value resolution of every histogram.
    public static let significantDigits: SignificantDigits = .three

    /// A latency clamped into the recorded range.
    @inlinable
    public static func clamped(_ microseconds: UInt64) -> UInt64 {
        microseconds < highestMicroseconds ? microseconds : highestMicroseconds
    }

    /// The range a new histogram starts with (it grows as values arrive): the smallest counts
    /// array, 2048 counters, exact up to 2 ms.
    static let initialHighestTrackableValue: UInt64 = 2

    /// Counters in the first bucket of a histogram on this scale (values 0 to 2047 at unit
    /// resolution); each further bucket doubles the range.
    static let firstBucketCounters: UInt64 = 2048

    /// The highest trackable value of the smallest histogram on this scale that covers
    /// `value`: histograms of one canonical size have counts arrays of one length.
    static func canonicalHighestTrackableValue(_ value: UInt64) -> UInt64 {
        var limit = firstBucketCounters
        while limit <= value, limit < highestMicroseconds {
            limit <<= 1
        }
        return limit - 1
    }

    /// An empty histogram on this scale.
    ///
    /// It starts with the smallest counts array (values up to 2 ms, 2048 counters) and grows
    /// as larger values arrive, never beyond the array that covers 60 s (17,408 counters),
    /// because every value is clamped first: a target that answers in a millisecond costs a
    /// few kilobytes, not the full 60-s array, and growth happens a bounded number of times.
    public static func makeHistogram<Count>(of _: Count.Type = Count.self) -> Histogram<Count>
    where Count: FixedWidthInteger & Codable & Sendable {
        Histogram<Count>(numberOfSignificantValueDigits: significantDigits)
    }
}
