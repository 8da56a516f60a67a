/// What the worker counts, funnelled through one place so the request path reads as
/// "note what happened" and the indexes into `WorkerStatistics` are resolved here.
///
/// Statistics indexes follow the routing snapshot (the layout is rebuilt with it); an exchange
/// picked under an older snapshot finds its target again by group name and id.
extension ProxyWorker {
    /// The statistics position (group, target) of the current exchange of `client`, if any.
    /// Reads the exchange's fields in place: copying the whole exchange would retain and
    /// release everything it holds, on every call of the request path.
    @inline(__always)
    func statisticsPosition(_ client: ClientConnection) -> (group: Int, target: Int)? {
        guard client.exchange.attempts > 0 else { return nil }
        if client.exchange.generation == routing.table.generation {
            return (client.exchange.groupIndex, client.exchange.targetIndex)
        }
        guard !client.exchange.groupName.isEmpty else { return nil }
        return statistics.layout.targetPosition(targetGroup: client.exchange.groupName, id: client.exchange.targetID.rawValue)
    }

    @inline(__always)
    private func micros(_ seconds: Double) -> UInt64 {
        seconds > 0 ? UInt64(seconds * 1_000_000) : 0
    }

    func noteClientConnectionOpened(_ client: ClientConnection) {
        statistics.clientConnectionOpened(listener: client.listener.index)
    }

    func noteClientConnectionClosed(_ client: ClientConnection) {
        statistics.clientConnectionClosed(listener: client.listener.index)
    }

    @inline(__always)
    func noteClientBytesIn(_ client: ClientConnection, _ count: Int) {
        statistics.clientBytesReceived(count, listener: client.listener.index)
    }

    @inline(__always)
    func noteClientBytesOut(_ client: ClientConnection, _ count: Int) {
        statistics.clientBytesSent(count, listener: client.listener.index)
    }

    @inline(__always)
    func noteRequestReceived(_ client: ClientConnection) {
        statistics.requestReceived(listener: client.listener.index)
    }

    /// An attempt of the current request goes to `target` of `group` (indexes of the current snapshot).
    @inline(__always)
    func noteTargetRequestStarted(_ client: ClientConnection, group: Int, target: Int) {
        if client.exchange.attempts == 1 { statistics.requestRouted(group: group) }
        statistics.requestSent(group: group, target: target)
        routing.requestStarted(group: group, index: target)
    }

    /// The current attempt ended: tells the target's picker (least outstanding requests,
    /// passive ejection) how it went.
    func noteTargetRequestFinished(_ client: ClientConnection, outcome: RequestOutcome) {
        guard client.exchange.attempts > 0 else { return }
        let now = monotonicNow()
        let ejectedFor: Double?
        if client.exchange.generation == routing.table.generation {
            ejectedFor = routing.requestFinished(
                group: client.exchange.groupIndex, index: client.exchange.targetIndex, outcome: outcome, now: now)
        } else if !client.exchange.groupName.isEmpty {
            ejectedFor = routing.requestFinished(
                groupName: client.exchange.groupName, target: client.exchange.targetID, outcome: outcome, now: now)
        } else {
            ejectedFor = nil
        }
        if ejectedFor != nil, let position = statisticsPosition(client) {
            statistics.targetEjected(group: position.group, target: position.target)
        }
    }

    func noteRetry(_ client: ClientConnection) {
        if let position = statisticsPosition(client) {
            statistics.requestRetried(group: position.group, failedTarget: position.target)
        }
    }

    func noteResponseHead(_ client: ClientConnection, status: Int) {
        guard let position = statisticsPosition(client) else { return }
        statistics.targetResponded(
            group: position.group, target: position.target, status: status,
            responseTime: micros(loop.now - client.exchange.requestSentAt))
    }

    func noteResponseCompleted(_ client: ClientConnection, status: Int) {
        guard let position = statisticsPosition(client) else { return }
        statistics.requestCompleted(
            listener: client.listener.index, group: position.group, target: position.target,
            status: status, duration: micros(loop.now - client.exchange.startedAt)
        )
    }

    /// The listener's in-process application's response to the current request is out.
    func noteApplicationResponseCompleted(_ client: ClientConnection, status: Int) {
        statistics.applicationResponded(
            listener: client.listener.index, status: status, duration: micros(loop.now - client.exchange.startedAt)
        )
    }

    /// The LB answered with an error of its own.
    func noteLBError(_ client: ClientConnection, _ code: LBErrorCode) {
        let startedAt = client.exchange.startedAt
        let duration = micros(client.state == .readingHead || startedAt == 0 ? 0 : loop.now - startedAt)
        if let position = statisticsPosition(client) {
            statistics.lbErrorSent(code, listener: client.listener.index, group: position.group, target: position.target, duration: duration)
        } else if client.state == .proxying {
            statistics.lbErrorSent(code, listener: client.listener.index, group: client.exchange.groupIndex, duration: duration)
        } else {
            statistics.lbErrorSent(code, listener: client.listener.index, duration: duration)
        }
    }

    @inline(__always)
    func noteTargetBytesIn(_ client: ClientConnection, _ count: Int) {
        if let position = statisticsPosition(client) {
            statistics.targetBytesReceived(count, group: position.group, target: position.target)
        }
    }

    @inline(__always)
    func noteTargetBytesOut(_ client: ClientConnection, _ count: Int) {
        if let position = statisticsPosition(client) {
            statistics.targetBytesSent(count, group: position.group, target: position.target)
        }
    }

    func noteTargetConnectionOpened(_ target: WorkerTarget) {
        if let position = statistics.layout.targetPosition(targetGroup: target.groupName, id: target.id.rawValue) {
            statistics.targetConnectionOpened(group: position.group, target: position.target)
        }
    }

    func noteTargetConnectionClosed(_ target: WorkerTarget) {
        if let position = statistics.layout.targetPosition(targetGroup: target.groupName, id: target.id.rawValue) {
            statistics.targetConnectionClosed(group: position.group, target: position.target)
        }
    }

    /// Hands the counters to the hub (every tick, and before a layout change or a stop).
    func flushStatistics() {
        let now = monotonicNow()
        hub.merge(statistics.drainDelta(now: now, flushLatencies: isShuttingDown), now: now)
    }

    /// Rebuilds the statistics layout from the current routing snapshot.
    func statisticsLayoutChanged() {
        let now = monotonicNow()
        let layout = ProxyWorker.statisticsLayout(listeners: listeners.map(\.name), table: routing.table)
        hub.merge(statistics.install(layout, now: now), now: now)
    }

    /// The layout for `table`: statistics indexes equal routing indexes.
    static func statisticsLayout(listeners: [String], table: RoutingTable) -> StatisticsLayout {
        let groups = table.groups.map { group in
            StatisticsLayout.TargetGroup(
                name: group.name,
                targets: group.targets.map { TargetIdentity(id: $0.id.rawValue, key: $0.endpoint.description) }
            )
        }
        return (try? StatisticsLayout(listeners: listeners, targetGroups: groups)) ?? .empty
    }
}
