import Histogram

/// Latencies of one listener, target group or target: everything since start, and the last
/// minute as a ring of 10-second slices merged when read.
///
/// Workers hand a slice's histograms over once it has ended, so the window read at `now` is
/// the six most recent complete slices: the 60 s up to the last 10-s boundary (plus anything
/// already handed over for the current slice, e.g. by a layout change). A delta is added into
/// its slice only (the first delta of a slice becomes its
/// storage); a slice is added into the since-start histogram when its slot is reused, and the
/// slices still in the ring are added on read. Four-byte counters: a ten-second slice cannot
/// reach four billion samples in one bucket, and the since-start histogram moves its counts to
/// a wider one before it could.
struct LatencyWindow: Sendable {
    /// Width of one slice.
    static let sliceSeconds: Int64 = 10
    /// Slices in the ring: six complete ones and the current one.
    static let sliceCount = 7

    /// The slices that have left the ring.
    private var retired: Histogram<UInt32>?
    /// Counts moved out of `retired` before its four-byte counters could overflow.
    private var archived: Histogram<UInt64>?
    private var slices: [Histogram<UInt32>?] = Array(repeating: nil, count: sliceCount)
    /// The slice number (`floor(second / 10)`) each slot holds.
    private var sliceNumbers: [Int64] = Array(repeating: .min, count: sliceCount)

    /// Adds `samples`, recorded in slice `number`.
    mutating func record(_ samples: LatencySamples, slice number: Int64) {
        guard let incoming = samples.histogram, incoming.totalCount > 0 else { return }
        let slot = Self.slot(of: number)
        // A number below the slot's is from a slice that has left the ring (a very late
        // delta); it is counted in the newer slice rather than dropped.
        guard sliceNumbers[slot] >= number, var slice = slices[slot] else {
            if let old = slices[slot] { retire(old) }
            slices[slot] = incoming
            sliceNumbers[slot] = number
            return
        }
        slices[slot] = nil // keeps `slice` uniquely referenced, so adding does not copy it
        if slice.totalCount + incoming.totalCount > UInt64(UInt32.max) {
            // Only reachable past four billion samples in ten seconds: start a fresh slice.
            retire(slice)
            slice = incoming
        } else {
            slice.add(incoming)
        }
        slices[slot] = slice
    }

    /// Adds a slice leaving the ring into the since-start histogram.
    private mutating func retire(_ slice: Histogram<UInt32>) {
        guard var total = retired else {
            retired = slice
            return
        }
        retired = nil
        if total.totalCount + slice.totalCount > UInt64(UInt32.max) {
            // No bucket can exceed the total, so below this bound no counter can wrap.
            var wide = archived ?? LatencyScale.makeHistogram(of: UInt64.self)
            Self.add(total, into: &wide)
            archived = wide
            total = slice
        } else {
            total.add(slice)
        }
        retired = total
    }

    /// The summary of the last minute as seen at `now`.
    func lastMinute(now: Double) -> LatencySummary {
        let newest = Self.sliceNumber(at: now)
        let oldest = newest - Int64(Self.sliceCount - 1)
        var merged: Histogram<UInt32>?
        for slot in 0..<Self.sliceCount where sliceNumbers[slot] >= oldest && sliceNumbers[slot] <= newest {
            if let slice = slices[slot] { Self.add(slice, into: &merged) }
        }
        return merged.map { LatencySummary($0) } ?? .empty
    }

    /// The summary of everything recorded.
    var sinceStartSummary: LatencySummary {
        var total: UInt64 = retired?.totalCount ?? 0
        var narrow = retired
        for slice in slices {
            guard let slice else { continue }
            total += slice.totalCount
            Self.add(slice, into: &narrow)
        }
        guard let narrow else { return archived.map { LatencySummary($0) } ?? .empty }
        guard archived != nil || total > UInt64(UInt32.max) else { return LatencySummary(narrow) }
        // Past four billion samples: sum in eight-byte counters (slow, and rare).
        var wide = archived ?? LatencyScale.makeHistogram(of: UInt64.self)
        if let retired { Self.add(retired, into: &wide) }
        for slice in slices {
            if let slice { Self.add(slice, into: &wide) }
        }
        return LatencySummary(wide)
    }

    /// Bytes held by the histograms (HdrHistogram's own conservative estimate).
    var estimatedFootprintInBytes: Int {
        slices.reduce((retired?.estimatedFootprintInBytes ?? 0) + (archived?.estimatedFootprintInBytes ?? 0)) {
            $0 + ($1?.estimatedFootprintInBytes ?? 0)
        }
    }

    private static func add(_ histogram: Histogram<UInt32>, into sum: inout Histogram<UInt32>?) {
        guard var current = sum else {
            sum = histogram
            return
        }
        sum = nil
        current.add(histogram)
        sum = current
    }

    private static func add(_ narrow: Histogram<UInt32>, into wide: inout Histogram<UInt64>) {
        for bucket in narrow.recordedValues() {
            wide.record(bucket.value, count: UInt64(bucket.count))
        }
    }

    /// The slice `time` falls in.
    static func sliceNumber(at time: Double) -> Int64 {
        let second = HubEntity.second(of: time)
        let (quotient, remainder) = second.quotientAndRemainder(dividingBy: sliceSeconds)
        return remainder < 0 ? quotient - 1 : quotient
    }

    private static func slot(of number: Int64) -> Int {
        let remainder = number % Int64(sliceCount)
        return Int(remainder < 0 ? remainder + Int64(sliceCount) : remainder)
    }
}
