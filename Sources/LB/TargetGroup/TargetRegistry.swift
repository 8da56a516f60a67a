import Synchronization

/// The authoritative run-time state of the load balancer's target groups: registrations,
/// health, draining, and the `RoutingTable` snapshots workers route with.
///
/// Used by the control plane (register/deregister, reload, describe) and the health checker
/// (work list, results); thread-safe behind one mutex. Every call takes `now`, seconds on a
/// monotonic clock (`LBClock`). When a call changes what workers route on, a new table is built
/// (with a higher `generation`) and passed to the `onChange` handler after the lock is released;
/// handlers may run concurrently for two quick changes, so a receiver keeps only the newest
/// generation (`WorkerRouting.adopt` does).
public final class TargetRegistry: Sendable {
    private let state: Mutex<RegistryState>
    private let changeHandler = Mutex<(@Sendable (RoutingTable) -> Void)?>(nil)

    /// A registry holding `configuration`'s groups and targets (targets start `initial`).
    public init(
        configuration: LBConfiguration = LBConfiguration(), now: Double,
        historyCapacity: Int = HealthCheckHistory.defaultCapacity
    ) {
        var initial = RegistryState(historyCapacity: historyCapacity)
        initial.apply(configuration, now: now)
        _ = initial.publishIfChanged()
        state = Mutex(initial)
    }

    /// Sets the handler that receives each new routing table (e.g. to post it to workers).
    public func setOnChange(_ handler: (@Sendable (RoutingTable) -> Void)?) {
        changeHandler.withLock { $0 = handler }
    }

    /// The current snapshot.
    public func routingTable() -> RoutingTable {
        state.withLock { $0.table }
    }

    /// Registers `address:port` in `group`; returns its id. Registering a target that is
    /// already registered (and not draining) returns its existing id and sets the new weight.
    @discardableResult
    public func register(
        group: String, address: String, port: Int, weight: Int = 1, now: Double
    ) throws(RegistryError) -> TargetID {
        try mutate { state throws(RegistryError) in
            try state.register(group: group, address: address, port: port, weight: weight, now: now)
        }
    }

    /// Deregisters a target: it goes `draining` (no new requests) until the group's
    /// deregistration delay passes (`tick`) or `drainingFinished` is reported, then is removed.
    public func deregister(group: String, id: TargetID, now: Double) throws(RegistryError) {
        try mutate { state throws(RegistryError) in try state.deregister(group: group, id: id, now: now) }
    }

    /// Reports that a draining target has no requests or connections left: it is removed now.
    public func drainingFinished(_ id: TargetID) {
        mutate { state in state.drainingFinished(id) }
    }

    /// Applies one health check result; returns the target's state after it (nil when the
    /// target is no longer registered).
    @discardableResult
    public func record(check result: HealthCheckResult, for id: TargetID, at now: Double) -> TargetHealthState? {
        mutate { state in state.record(result, for: id, at: now) }
    }

    /// Removes draining targets whose delay has passed; call about once a second.
    public func tick(now: Double) {
        mutate { state in state.tick(now: now) }
    }

    /// Reloads the configuration: groups and file targets are added, changed or removed
    /// (removed targets drain first); targets that stay keep their health; targets registered
    /// at run time stay unless their group is removed.
    public func apply(configuration: LBConfiguration, now: Double) {
        mutate { state in state.apply(configuration, now: now) }
    }

    /// The health of every target of `group`, as ELBv2's `DescribeTargetHealth`.
    public func describeTargetHealth(group: String) throws(RegistryError) -> [TargetHealthDescription] {
        try state.withLock { state throws(RegistryError) in try state.describe(group: group) }
    }

    /// The health checker's work list: each target to check once (not once per worker).
    public func targetsToCheck() -> [HealthCheckTarget] {
        state.withLock { $0.targetsToCheck() }
    }

    /// Names of the target groups, in configuration order.
    public var targetGroupNames: [String] {
        state.withLock { $0.groupOrder }
    }

    private func mutate<Result: Sendable>(
        _ body: (inout RegistryState) throws(RegistryError) -> Result
    ) throws(RegistryError) -> Result {
        let (result, published) = try state.withLock { state throws(RegistryError) -> (Result, RoutingTable?) in
            let result = try body(&state)
            return (result, state.publishIfChanged())
        }
        if let published, let handler = changeHandler.withLock({ $0 }) { handler(published) }
        return result
    }

    private func mutate<Result: Sendable>(_ body: (inout RegistryState) -> Result) -> Result {
        let (result, published) = state.withLock { state -> (Result, RoutingTable?) in
            let result = body(&state)
            return (result, state.publishIfChanged())
        }
        if let published, let handler = changeHandler.withLock({ $0 }) { handler(published) }
        return result
    }
}
