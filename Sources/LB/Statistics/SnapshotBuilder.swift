/// Turns the hub's entity copies into an ``LBStatisticsSnapshot``: rates, percentile
/// summaries and ordering, computed outside the hub's lock.
struct SnapshotBuilder {
    let now: Double

    func snapshot(of copies: [HubEntity.Copy]) -> LBStatisticsSnapshot {
        var listeners: [ListenerStatistics] = []
        var groups: [String: TrafficStatistics] = [:]
        var targets: [String: [TargetStatistics]] = [:]
        for copy in copies {
            switch copy.key {
            case .listener(let name):
                listeners.append(ListenerStatistics(name: name, traffic: traffic(of: copy)))
            case .targetGroup(let name):
                groups[name] = traffic(of: copy)
            case .target(let group, let id):
                targets[group, default: []].append(TargetStatistics(id: id, key: copy.targetKey, traffic: traffic(of: copy)))
            }
        }
        let targetGroups = groups.map { name, traffic in
            TargetGroupStatistics(
                name: name, traffic: traffic,
                targets: (targets[name] ?? []).sorted { ($0.key, $0.id) < ($1.key, $1.id) }
            )
        }
        return LBStatisticsSnapshot(
            time: now,
            listeners: listeners.sorted { $0.name < $1.name },
            targetGroups: targetGroups.sorted { $0.name < $1.name }
        )
    }

    private func traffic(of copy: HubEntity.Copy) -> TrafficStatistics {
        let second = HubEntity.second(of: now)
        func rate(_ window: Int) -> Double {
            Double(copy.perSecond.requestSum(last: window, before: second)) / Double(window)
        }
        return TrafficStatistics(
            counts: copy.totals,
            statusCodes: copy.statusCodes.map { StatusCodeCount(code: $0.key, count: $0.value) }.sorted { $0.code < $1.code },
            activeConnections: copy.totals.activeConnections,
            requestRates: RequestRates(lastSecond: rate(1), last10Seconds: rate(10), last60Seconds: rate(60)),
            targetResponseTime: latency(copy.targetResponseTimes),
            requestDuration: latency(copy.requestDurations)
        )
    }

    private func latency(_ window: LatencyWindow?) -> LatencyStatistics {
        guard let window else { return .empty }
        return LatencyStatistics(lastMinute: window.lastMinute(now: now), sinceStart: window.sinceStartSummary)
    }
}
