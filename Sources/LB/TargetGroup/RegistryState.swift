/// A target as the registry holds it.
struct RegisteredTarget: Sendable {
    /// Where a registration came from: a reload removes configuration targets that left the
    /// file, but leaves targets registered at run time (by the control plane) alone.
    enum Origin: Sendable { case configuration, api }

    let id: TargetID
    let group: String
    let endpoint: TargetEndpoint
    let host: String
    var weight: Int
    var origin: Origin
    var tracker: TargetHealthTracker
    /// Set while draining: when the target is removed.
    var drainingUntil: Double?
    var slowStartSince: Double?
    var lastCheckAt: Double?
    /// Targets registered by one operation (one `register` call, or one configuration applied)
    /// share a batch: ALB does not ramp targets registered together into an empty group.
    let registrationBatch: UInt64
    /// Whether the target has ever been healthy (or routable with checks disabled).
    var hasBeenRoutable = false

    var port: Int { Int(endpoint.port) }
}

/// A target group as the registry holds it.
struct RegisteredGroup: Sendable {
    var configuration: TargetGroupConfiguration
    /// Ascending, as the routing table orders them.
    var targets: [TargetID] = []
    /// Removed from the configuration; kept (out of every listener) until its targets have drained.
    var retired = false
}

/// The registry's state and every rule that changes it, without locking (`TargetRegistry`
/// wraps it in a mutex). Mutations that change what workers route on set `routingChanged`;
/// `publishIfChanged` then builds the next `RoutingTable`.
struct RegistryState: Sendable {
    private var nextID: UInt64 = 1
    private var nextBatch: UInt64 = 1
    private(set) var groupOrder: [String] = []
    private(set) var groups: [String: RegisteredGroup] = [:]
    private(set) var targets: [TargetID: RegisteredTarget] = [:]
    private var listeners: [ListenerConfiguration] = []
    private var timeouts = TimeoutConfiguration()
    private var limits = LimitConfiguration()
    private var workers = 0
    private let historyCapacity: Int
    private var generation: UInt64 = 0
    private(set) var table: RoutingTable
    private var routingChanged = false

    init(historyCapacity: Int) {
        self.historyCapacity = historyCapacity
        self.table = RoutingTable(generation: 0, listeners: [], groups: [])
    }

    // MARK: Configuration

    /// Makes the registry match `configuration`: groups added, changed or retired; targets of
    /// the file added, reweighted or drained. Health state is kept for targets that stay.
    mutating func apply(_ configuration: LBConfiguration, now: Double) {
        listeners = configuration.listeners
        timeouts = configuration.timeouts
        limits = configuration.limits
        workers = configuration.workers
        routingChanged = true
        let batch = nextBatch
        nextBatch += 1

        var newOrder: [String] = []
        for groupConfiguration in configuration.targetGroups {
            let name = groupConfiguration.name
            newOrder.append(name)
            if var group = groups[name] {
                let checksWereEnabled = group.configuration.healthCheck.enabled
                group.configuration = groupConfiguration
                group.retired = false
                groups[name] = group
                if checksWereEnabled != groupConfiguration.healthCheck.enabled {
                    for id in group.targets {
                        setChecksEnabled(groupConfiguration.healthCheck.enabled, for: id, now: now)
                    }
                }
            } else {
                groups[name] = RegisteredGroup(configuration: groupConfiguration)
            }
            reconcileConfiguredTargets(of: name, with: groupConfiguration.targets, batch: batch, now: now)
        }
        for name in groupOrder where !newOrder.contains(name) {
            guard var group = groups[name] else { continue }
            group.retired = true
            groups[name] = group
            for id in group.targets where targets[id]?.drainingUntil == nil { drain(id, now: now) }
            if groups[name]?.targets.isEmpty == false {
                newOrder.append(name)
            } else {
                groups[name] = nil
            }
        }
        groupOrder = newOrder
    }

    private mutating func reconcileConfiguredTargets(
        of group: String, with wanted: [TargetConfiguration], batch: UInt64, now: Double
    ) {
        var pending: [(endpoint: TargetEndpoint, target: TargetConfiguration)] = []
        for target in wanted {
            // The decoder validated every address; one that fails here was built by hand.
            guard let endpoint = try? TargetEndpoint(host: target.address, port: target.port) else { continue }
            pending.append((endpoint, target))
        }
        for id in groups[group]?.targets ?? [] {
            guard var registered = targets[id], registered.drainingUntil == nil else { continue }
            if let match = pending.firstIndex(where: { $0.endpoint == registered.endpoint }) {
                if registered.weight != pending[match].target.weight { routingChanged = true }
                registered.weight = pending[match].target.weight
                registered.origin = .configuration
                targets[id] = registered
                pending.remove(at: match)
            } else if registered.origin == .configuration {
                drain(id, now: now)
            }
        }
        for (endpoint, target) in pending {
            add(
                group: group, endpoint: endpoint, host: target.address, weight: target.weight, origin: .configuration,
                batch: batch, now: now)
        }
    }

    // MARK: Registration

    mutating func register(
        group: String, address: String, port: Int, weight: Int, now: Double
    ) throws(RegistryError) -> TargetID {
        guard let registeredGroup = groups[group], !registeredGroup.retired else { throw .targetGroupNotFound(group) }
        guard (1...65535).contains(port) else { throw .invalidPort(port) }
        guard TargetConfiguration.weightRange.contains(weight) else { throw .invalidWeight(weight) }
        let endpoint: TargetEndpoint
        do {
            endpoint = try TargetEndpoint(host: address, port: port)
        } catch {
            throw .invalidAddress(address, reason: error.description)
        }
        // As in ELBv2, registering a target that is already registered (and not draining) is
        // not an error: it keeps its id and health, and takes the new weight.
        for id in registeredGroup.targets {
            guard var existing = targets[id], existing.endpoint == endpoint, existing.drainingUntil == nil else {
                continue
            }
            if existing.weight != weight {
                existing.weight = weight
                targets[id] = existing
                routingChanged = true
            }
            return id
        }
        let batch = nextBatch
        nextBatch += 1
        return add(
            group: group, endpoint: endpoint, host: address, weight: weight, origin: .api, batch: batch, now: now)
    }

    @discardableResult
    private mutating func add(
        group: String, endpoint: TargetEndpoint, host: String, weight: Int, origin: RegisteredTarget.Origin,
        batch: UInt64, now: Double
    ) -> TargetID {
        let id = TargetID(rawValue: nextID)
        nextID += 1
        let checksEnabled = groups[group]?.configuration.healthCheck.enabled ?? true
        targets[id] = RegisteredTarget(
            id: id, group: group, endpoint: endpoint, host: host, weight: weight, origin: origin,
            tracker: TargetHealthTracker(checksEnabled: checksEnabled, now: now, historyCapacity: historyCapacity),
            registrationBatch: batch)
        groups[group]?.targets.append(id)
        if !checksEnabled { enterSlowStartIfDue(id, now: now) }
        routingChanged = true
        return id
    }

    mutating func deregister(group: String, id: TargetID, now: Double) throws(RegistryError) {
        guard groups[group] != nil else { throw .targetGroupNotFound(group) }
        guard let target = targets[id], target.group == group else { throw .targetNotFound(group: group, id: id) }
        if target.drainingUntil == nil { drain(id, now: now) }
    }

    /// Starts draining `id` for the group's deregistration delay (removing it at once when the
    /// delay is 0).
    private mutating func drain(_ id: TargetID, now: Double) {
        guard var target = targets[id] else { return }
        let delay = Double(groups[target.group]?.configuration.deregistrationDelaySeconds ?? 0)
        if delay <= 0 {
            remove(id)
            return
        }
        target.tracker.beginDraining(at: now)
        target.drainingUntil = now + delay
        target.slowStartSince = nil
        targets[id] = target
        routingChanged = true
    }

    /// A draining target's last connection ended: ALB completes deregistration at once when a
    /// draining target has nothing in flight. Ignored for targets that are not draining.
    mutating func drainingFinished(_ id: TargetID) {
        guard targets[id]?.drainingUntil != nil else { return }
        remove(id)
    }

    private mutating func remove(_ id: TargetID) {
        guard let target = targets.removeValue(forKey: id) else { return }
        groups[target.group]?.targets.removeAll { $0 == id }
        if let group = groups[target.group], group.retired, group.targets.isEmpty {
            groups[target.group] = nil
            groupOrder.removeAll { $0 == target.group }
        }
        routingChanged = true
    }

    /// Removes draining targets whose deregistration delay has passed.
    mutating func tick(now: Double) {
        var expired: [TargetID] = []
        for (id, target) in targets {
            if let until = target.drainingUntil, until <= now { expired.append(id) }
        }
        for id in expired { remove(id) }
    }

    // MARK: Health

    /// Applies a health check result; returns the target's state after it (nil for an unknown id).
    mutating func record(_ result: HealthCheckResult, for id: TargetID, at now: Double) -> TargetHealthState? {
        guard var target = targets[id], let group = groups[target.group] else { return nil }
        target.lastCheckAt = now
        let changed = target.tracker.record(result, at: now, configuration: group.configuration.healthCheck)
        targets[id] = target
        if changed {
            routingChanged = true
            if target.tracker.state.receivesTraffic {
                enterSlowStartIfDue(id, now: now)
            } else {
                // ALB: "If a target in slow start mode becomes unhealthy, the target exits slow start mode."
                targets[id]?.slowStartSince = nil
            }
        }
        return target.tracker.state
    }

    private mutating func setChecksEnabled(_ enabled: Bool, for id: TargetID, now: Double) {
        guard var target = targets[id], target.tracker.setChecksEnabled(enabled, at: now) else { return }
        target.slowStartSince = nil
        targets[id] = target
        routingChanged = true
        if target.tracker.state.receivesTraffic { enterSlowStartIfDue(id, now: now) }
    }

    /// ALB: a target enters slow start when it is considered healthy, but "newly registered
    /// targets enter slow start mode only when there is at least one healthy target that is not
    /// in slow start mode", and targets registered "using a single registration operation" into
    /// an empty group do not enter it (so a group's first targets take full load at once).
    /// Called when the target has just become routable.
    private mutating func enterSlowStartIfDue(_ id: TargetID, now: Double) {
        guard let target = targets[id], let group = groups[target.group] else { return }
        targets[id]?.hasBeenRoutable = true
        let duration = Double(group.configuration.slowStartSeconds)
        guard duration > 0 else {
            targets[id]?.slowStartSince = nil
            return
        }
        var settledTargetExists = false
        for otherID in group.targets where otherID != id {
            guard let other = targets[otherID], other.tracker.state.receivesTraffic else { continue }
            // A first-time target does not ramp behind targets of its own registration.
            if !target.hasBeenRoutable && other.registrationBatch == target.registrationBatch { continue }
            let ramping = other.slowStartSince.map { now - $0 < duration } ?? false
            if !ramping {
                settledTargetExists = true
                break
            }
        }
        targets[id]?.slowStartSince = settledTargetExists ? now : nil
    }

    // MARK: Views

    func isInUse(_ group: String) -> Bool {
        guard let registered = groups[group], !registered.retired else { return false }
        return listeners.contains { $0.defaultTargetGroup == group }
    }

    func describe(group name: String) throws(RegistryError) -> [TargetHealthDescription] {
        guard let group = groups[name] else { throw .targetGroupNotFound(name) }
        let inUse = isInUse(name)
        var out: [TargetHealthDescription] = []
        for id in group.targets {
            guard let target = targets[id] else { continue }
            var state = target.tracker.state
            var reason = target.tracker.reason
            var description = target.tracker.description
            if !inUse && state != .draining {
                state = .unused
                reason = .notInUse
                description = TargetHealthReason.notInUse.standardDescription
            }
            let duration = Double(group.configuration.slowStartSeconds)
            out.append(
                TargetHealthDescription(
                    id: id, targetGroup: name, address: target.host, port: target.port,
                    healthCheckPort: group.configuration.healthCheck.port.resolved(trafficPort: target.port),
                    weight: target.weight, state: state, reason: reason, description: description,
                    lastStateChange: target.tracker.lastStateChange, history: target.tracker.history.records,
                    drainingUntil: target.drainingUntil,
                    slowStartSince: target.slowStartSince.flatMap { duration > 0 ? $0 : nil }))
        }
        return out
    }

    /// Every target the health checker must check, once each: targets of groups in use with
    /// checks enabled, not draining.
    func targetsToCheck() -> [HealthCheckTarget] {
        var out: [HealthCheckTarget] = []
        for name in groupOrder where isInUse(name) {
            guard let group = groups[name], group.configuration.healthCheck.enabled else { continue }
            let check = group.configuration.healthCheck
            for id in group.targets {
                guard let target = targets[id], target.drainingUntil == nil else { continue }
                let port = check.port.resolved(trafficPort: target.port)
                out.append(
                    HealthCheckTarget(
                        id: id, targetGroup: name,
                        endpoint: TargetEndpoint(address: target.endpoint.address, port: UInt16(port)),
                        host: target.host, port: port, protocol: check.protocol, path: check.path,
                        intervalSeconds: check.intervalSeconds, timeoutSeconds: check.timeoutSeconds,
                        matcher: check.matcher,
                        lastCheckAt: target.lastCheckAt))
            }
        }
        return out
    }

    // MARK: Snapshots

    /// Builds and returns a new table when something routing-relevant changed since the last one.
    mutating func publishIfChanged() -> RoutingTable? {
        guard routingChanged else { return nil }
        routingChanged = false
        generation += 1
        var routeGroups: [RouteGroup] = []
        routeGroups.reserveCapacity(groupOrder.count)
        for name in groupOrder {
            guard let group = groups[name] else { continue }
            var routeTargets: [RouteTarget] = []
            routeTargets.reserveCapacity(group.targets.count)
            for id in group.targets {
                guard let target = targets[id] else { continue }
                routeTargets.append(
                    RouteTarget(
                        id: id, endpoint: target.endpoint, host: target.host, port: target.port, weight: target.weight,
                        state: target.tracker.state, slowStartSince: target.slowStartSince))
            }
            routeGroups.append(
                RouteGroup(
                    name: name, algorithm: group.configuration.algorithm,
                    slowStartSeconds: Double(group.configuration.slowStartSeconds),
                    outlierDetection: group.configuration.outlierDetection, targets: routeTargets, inUse: isInUse(name))
            )
        }
        var routeListeners: [RouteListener] = []
        for listener in listeners {
            guard let index = routeGroups.firstIndex(where: { $0.name == listener.defaultTargetGroup }) else {
                continue
            }
            routeListeners.append(RouteListener(configuration: listener, defaultGroupIndex: index))
        }
        table = RoutingTable(
            generation: generation, listeners: routeListeners, groups: routeGroups, timeouts: timeouts, limits: limits,
            workers: workers)
        return table
    }
}
