import Histogram

extension WorkerStatistics {
    /// Switches to the layout of a new routing snapshot.
    ///
    /// First drains what was counted under the old layout, latencies included, and returns
    /// it: pass it to ``StatisticsHub/merge(_:now:)`` like any other delta. Listeners and targets present in
    /// both layouts (by name, and by target group name and target id) keep their open
    /// connection gauges and histogram storage. A listener or target missing from `newLayout`
    /// whose connections are still open stays in the worker's ``layout``, appended after the
    /// new entries, until a later install finds its connections closed; connections opened
    /// under an older layout find their indexes again with
    /// ``StatisticsLayout/targetPosition(targetGroup:id:)`` and
    /// ``StatisticsLayout/listenerIndex(named:)`` on ``layout``.
    public func install(_ newLayout: StatisticsLayout, now: Double) -> StatisticsDelta {
        let pending = drainDelta(now: now, flushLatencies: true)
        let old = layout
        let effective = Self.layoutKeepingOpenEntries(
            of: old, openClients: openClientConnections, openTargets: openTargetConnections, into: newLayout
        )

        var clients = Array(repeating: Int64(0), count: effective.listeners.count)
        var listenerDurations: [Histogram<UInt32>] = []
        listenerDurations.reserveCapacity(effective.listeners.count)
        for (index, name) in effective.listeners.enumerated() {
            if let oldIndex = old.listenerIndex(named: name) {
                clients[index] = openClientConnections[oldIndex]
                listenerDurations.append(listenerRequestDurations[oldIndex])
            } else {
                listenerDurations.append(LatencyScale.makeHistogram())
            }
        }

        var groupDurations: [Histogram<UInt32>] = []
        groupDurations.reserveCapacity(effective.targetGroups.count)
        var targets = Array(repeating: Int64(0), count: effective.targetSlotCount)
        var responseTimes: [Histogram<UInt32>] = []
        var targetDurations: [Histogram<UInt32>] = []
        responseTimes.reserveCapacity(effective.targetSlotCount)
        targetDurations.reserveCapacity(effective.targetSlotCount)
        for (groupIndex, group) in effective.targetGroups.enumerated() {
            let oldGroup = old.targetGroupIndex(named: group.name)
            if let oldGroup {
                groupDurations.append(targetGroupRequestDurations[oldGroup])
            } else {
                groupDurations.append(LatencyScale.makeHistogram())
            }
            for (targetIndex, target) in group.targets.enumerated() {
                if let oldGroup, let oldTarget = old.targetIndex(group: oldGroup, id: target.id) {
                    let oldSlot = old.targetSlot(group: oldGroup, target: oldTarget)
                    targets[effective.targetSlot(group: groupIndex, target: targetIndex)] = openTargetConnections[oldSlot]
                    responseTimes.append(targetResponseTimes[oldSlot])
                    targetDurations.append(targetRequestDurations[oldSlot])
                } else {
                    responseTimes.append(LatencyScale.makeHistogram())
                    targetDurations.append(LatencyScale.makeHistogram())
                }
            }
        }

        layout = effective
        firstTargetSlot = effective.firstTargetSlot
        listenerCounts = Array(repeating: .zero, count: effective.listeners.count)
        targetGroupCounts = Array(repeating: .zero, count: effective.targetGroups.count)
        targetCounts = Array(repeating: .zero, count: effective.targetSlotCount)
        statusCodes = Array(repeating: 0, count: effective.targetSlotCount * StatusCodeTable.width)
        listenerRequestDurations = listenerDurations
        targetGroupRequestDurations = groupDurations
        targetResponseTimes = responseTimes
        targetRequestDurations = targetDurations
        openClientConnections = clients
        openTargetConnections = targets
        return pending
    }

    /// `newLayout` plus the listeners and targets of `old` that it lacks but that still have
    /// open connections (a group that disappeared entirely comes back holding just those).
    static func layoutKeepingOpenEntries(
        of old: StatisticsLayout, openClients: [Int64], openTargets: [Int64], into newLayout: StatisticsLayout
    ) -> StatisticsLayout {
        var listeners = newLayout.listeners
        for (index, name) in old.listeners.enumerated()
        where openClients[index] != 0 && newLayout.listenerIndex(named: name) == nil {
            listeners.append(name)
        }
        var groups = newLayout.targetGroups
        var groupIndexes: [String: Int] = [:]
        for (index, group) in groups.enumerated() { groupIndexes[group.name] = index }
        for (oldGroup, group) in old.targetGroups.enumerated() {
            for (oldTarget, target) in group.targets.enumerated()
            where openTargets[old.targetSlot(group: oldGroup, target: oldTarget)] != 0
                && newLayout.targetPosition(targetGroup: group.name, id: target.id) == nil {
                if let index = groupIndexes[group.name] {
                    groups[index].targets.append(target)
                } else {
                    groupIndexes[group.name] = groups.count
                    groups.append(.init(name: group.name, targets: [target]))
                }
            }
        }
        guard listeners.count != newLayout.listeners.count || groups != newLayout.targetGroups else {
            return newLayout
        }
        return StatisticsLayout(unchecked: listeners, targetGroups: groups)
    }
}
