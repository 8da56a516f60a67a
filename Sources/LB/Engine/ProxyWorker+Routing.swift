import WharfIO

/// Routing decisions and the arrival of new routing snapshots.
extension ProxyWorker {
    /// Picks a target of `group` for a request; nil when the group has none to offer.
    @inline(__always)
    func pickTarget(group: Int, excluding excluded: TargetID?) -> (Int, WorkerTarget)? {
        // The pickers' times (ejections, slow start) are on the monotonic clock, as the registry's
        // and `noteTargetRequestFinished`'s are; `loop.now` is wall-clock time and would never
        // reach an ejection's end nor fall inside one.
        guard let index = routing.pick(group: group, now: monotonicNow(), excluding: excluded) else { return nil }
        let target = targets[group][index]
        guard !target.unreachable else { return nil }
        return (index, target)
    }

    /// The `host:port` of a target, for requests that arrive without `Host`.
    func targetHostText(group: Int, target: Int) -> String {
        targets[group][target].address.description
    }

    /// Adopts a newer routing snapshot (on the worker thread): pickers and pooled connections
    /// carry over by target id; targets that are draining stop being pooled; targets that are
    /// gone (their deregistration delay is over) lose their connections, in-flight ones too.
    func adopt(_ table: RoutingTable) {
        let old = targets
        guard routing.adopt(table) else { return }
        var previous: [TargetID: WorkerTarget] = [:]
        for group in old {
            for target in group { previous[target.id] = target }
        }
        targets = ProxyWorker.workerTargets(for: table, reusing: previous)
        var kept = Set<TargetID>()
        for (groupIndex, group) in table.groups.enumerated() {
            for (index, route) in group.targets.enumerated() {
                kept.insert(route.id)
                let target = targets[groupIndex][index]
                if route.state == .draining {
                    target.retired = true
                    target.closeIdle()
                }
            }
        }
        var removed = Set<TargetID>()
        for (id, target) in previous where !kept.contains(id) {
            target.retired = true
            target.closeIdle()
            removed.insert(id)
        }
        if !removed.isEmpty {
            for client in Array(clients.values) where client.state == .proxying || client.state == .tunnel {
                if removed.contains(client.exchange.targetID) { client.abort() }
            }
        }
        for listener in listeners {
            if let index = table.listenerIndex(named: listener.name) {
                listener.defaultGroupIndex = table.listeners[index].defaultGroupIndex
            } else {
                listener.defaultGroupIndex = nil
            }
        }
        statisticsLayoutChanged()
    }

    /// Worker-side targets for `table`, reusing existing ones (and their pools) by id.
    static func workerTargets(for table: RoutingTable, reusing previous: [TargetID: WorkerTarget]) -> [[WorkerTarget]] {
        table.groups.map { group in
            group.targets.map { route in
                if let existing = previous[route.id] { return existing }
                let address = try? SocketAddress(ip: route.endpoint.host, port: route.endpoint.port)
                return WorkerTarget(id: route.id, groupName: group.name, address: address)
            }
        }
    }
}
