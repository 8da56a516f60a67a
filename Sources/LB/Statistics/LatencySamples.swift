import Histogram

/// Latencies one worker recorded for one listener, target group or target in one interval.
///
/// Carries the worker's histogram itself: draining moves it out (the worker continues with a
/// zeroed copy of the same size) and the hub adds it into its own histograms with
/// HdrHistogram's inlinable, vectorised `add`, or adopts it as a new slice's storage. (Walking
/// the buckets instead costs HdrHistogram's iterator several nanoseconds per counter up to the
/// largest value, which was slower at both ends.) Both sides use one ``LatencyScale``.
public struct LatencySamples: Sendable {
    /// The interval's histogram (`nil` when nothing was recorded).
    let histogram: Histogram<UInt32>?

    /// No samples.
    public static let none = LatencySamples(histogram: nil)

    init(histogram: Histogram<UInt32>?) {
        self.histogram = histogram
    }

    /// Number of samples.
    public var count: UInt64 { histogram?.totalCount ?? 0 }

    public var isEmpty: Bool { count == 0 }
}

/// Zeroed histograms to start from, copied from one template per counts-array size.
///
/// HdrHistogram's `reset()` and initialisers are not inlinable, so they run generic code one
/// counter at a time (about a millisecond for a 60-s histogram); copying a zeroed template of
/// the right size is a `memcpy`. A worker continues each histogram it hands over with a
/// zeroed one of the same size, so a histogram grown once is not grown again on the request
/// path. Handing over happens for all histograms at once (the first drain of a 10-s slice),
/// so the copies are made ahead, a few per ordinary drain (``prepareSpares(budget:)``), and
/// the handover itself only swaps.
struct EmptyHistograms {
    private var templates: [UInt64: Histogram<UInt32>] = [:]
    /// Zeroed histograms with storage of their own, by canonical size.
    private var spares: [UInt64: [Histogram<UInt32>]] = [:]
    /// How many histograms of each size the last handover took: what to prepare for the next.
    private var demand: [UInt64: Int] = [:]

    /// A zeroed histogram covering values up to `highestTrackableValue`, with storage of its own.
    mutating func empty(highestTrackableValue: UInt64 = LatencyScale.initialHighestTrackableValue) -> Histogram<UInt32> {
        let size = LatencyScale.canonicalHighestTrackableValue(highestTrackableValue)
        if let spare = spares[size]?.popLast() { return spare }
        return copyOfTemplate(size: size)
    }

    private mutating func copyOfTemplate(size: UInt64) -> Histogram<UInt32> {
        var empty: Histogram<UInt32>
        if let template = templates[size] {
            empty = template
        } else {
            empty = Histogram(
                lowestDiscernibleValue: LatencyScale.lowestDiscernibleMicroseconds, highestTrackableValue: size,
                numberOfSignificantValueDigits: LatencyScale.significantDigits
            )
            empty.autoResize = true
            templates[size] = empty
        }
        // Recording nothing at zero changes no count, minimum or maximum, but gives this copy
        // its own counts array now rather than at its first record.
        empty.record(0, count: 0)
        return empty
    }

    /// Starts a handover: the demand for spares is what this one takes.
    mutating func beginHandover() {
        demand.removeAll(keepingCapacity: true)
    }

    /// Moves the samples out of `histogram`, leaving it zeroed at the same size.
    mutating func take(_ histogram: inout Histogram<UInt32>) -> LatencySamples {
        guard histogram.totalCount > 0 else { return .none }
        let filled = histogram
        demand[LatencyScale.canonicalHighestTrackableValue(filled.highestTrackableValue), default: 0] += 1
        histogram = empty(highestTrackableValue: filled.highestTrackableValue)
        return LatencySamples(histogram: filled)
    }

    /// Makes up to `budget` spares towards what the last handover took.
    mutating func prepareSpares(budget: Int) {
        var budget = budget
        for (size, wanted) in demand where budget > 0 {
            var ready = spares[size, default: []]
            guard ready.count < wanted else { continue }
            spares[size] = nil // keeps `ready` uniquely referenced
            while ready.count < wanted, budget > 0 {
                ready.append(copyOfTemplate(size: size))
                budget -= 1
            }
            spares[size] = ready
        }
    }
}
