import Histogram

extension WorkerStatistics {
    /// Hands over everything counted since the previous drain and starts the next interval
    /// from zero.
    ///
    /// Called from the worker's own thread about every 250 ms, with the worker's monotonic
    /// clock, and the result passed to ``StatisticsHub/merge(_:now:)``; also when nothing was
    /// counted, since an empty delta still tells the hub which layout is in use.
    ///
    /// Counters are handed over at every drain. Latency histograms are kept for a whole
    /// 10-second slice (`floor(now / 10)`) and handed over by the first drain of the next
    /// slice, tagged with the slice of the drain before it (so a sample's slice is right to
    /// within one drain interval as long as drains are regular); `flushLatencies` hands them over now (a worker about to
    /// stop; ``install(_:now:)`` always does). Handing a histogram over moves it into the
    /// delta and continues with a zeroed histogram of the same size, made ahead during the
    /// ordinary drains of the slice (an allocation and a `memcpy` of up to 70 KB each, a few
    /// per drain), so the handover itself only swaps; the hub's latency figures therefore
    /// trail by up to one slice.
    public func drainDelta(now: Double, flushLatencies: Bool = false) -> StatisticsDelta {
        let slice = LatencyWindow.sliceNumber(at: now)
        let heldSlice = latencySlice ?? slice
        let handOver = flushLatencies || heldSlice != slice
        latencySlice = slice
        if handOver {
            emptyHistograms.beginHandover()
        } else {
            emptyHistograms.prepareSpares(budget: Self.sparesPreparedPerDrain)
        }
        var delta = StatisticsDelta(layout: layout, latencySlice: heldSlice)
        for listener in listenerCounts.indices {
            let durations = handOver ? emptyHistograms.take(&listenerRequestDurations[listener]) : .none
            let counts = listenerCounts[listener]
            guard counts != .zero || !durations.isEmpty else { continue }
            listenerCounts[listener] = .zero
            openClientConnections[listener] += counts.activeConnections
            delta.listeners.append(.init(index: listener, counts: counts, requestDurations: durations))
        }
        for group in targetGroupCounts.indices {
            let durations = handOver ? emptyHistograms.take(&targetGroupRequestDurations[group]) : .none
            let counts = targetGroupCounts[group]
            guard counts != .zero || !durations.isEmpty else { continue }
            targetGroupCounts[group] = .zero
            delta.targetGroups.append(.init(index: group, counts: counts, requestDurations: durations))
        }
        for group in layout.targetGroups.indices {
            for target in layout.targetGroups[group].targets.indices {
                let slot = firstTargetSlot[group] + target
                if let entry = drainTarget(slot: slot, group: group, target: target, handOverLatencies: handOver) {
                    delta.targets.append(entry)
                }
            }
        }
        return delta
    }

    /// Zeroed histograms made ahead per ordinary drain for the next handover: 39 ordinary
    /// drains per slice prepare up to 624, two per target for 300 targets.
    static let sparesPreparedPerDrain = 16

    /// The entry of one target slot, or nil when it counted nothing; clears the slot.
    private func drainTarget(slot: Int, group: Int, target: Int, handOverLatencies: Bool) -> StatisticsDelta.Entry? {
        var counts = targetCounts[slot]
        var codes: [StatusCodeCount] = []
        // Every response counted in the code table also recorded a response time, so a row
        // can hold counts only while that histogram does.
        if targetResponseTimes[slot].totalCount > 0 {
            let rowStart = slot * StatusCodeTable.width
            for column in 0..<StatusCodeTable.width where statusCodes[rowStart + column] != 0 {
                let code = StatusCodeTable.code(ofColumn: column)
                let count = UInt64(statusCodes[rowStart + column])
                statusCodes[rowStart + column] = 0
                codes.append(StatusCodeCount(code: code, count: count))
                counts.responses.count(status: code, times: count)
            }
        }
        var responseTimes = LatencySamples.none
        var durations = LatencySamples.none
        if handOverLatencies {
            responseTimes = emptyHistograms.take(&targetResponseTimes[slot])
            durations = emptyHistograms.take(&targetRequestDurations[slot])
        }
        guard counts != .zero || !responseTimes.isEmpty || !durations.isEmpty else { return nil }
        targetCounts[slot] = .zero
        openTargetConnections[slot] += counts.activeConnections
        return .init(
            index: group, target: target, counts: counts, statusCodes: codes,
            targetResponseTimes: responseTimes, requestDurations: durations
        )
    }

    /// Client connections open on `listener` as of the last drain.
    public func openClientConnections(listener: Int) -> Int64 {
        openClientConnections[listener]
    }

    /// Connections open to a target as of the last drain.
    public func openTargetConnections(group: Int, target: Int) -> Int64 {
        openTargetConnections[slot(group: group, target: target)]
    }
}
