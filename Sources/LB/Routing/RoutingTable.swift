/// An immutable snapshot of everything a worker needs to route requests: listeners, target
/// groups with their targets and health, timeouts and limits. Built by `TargetRegistry` on
/// every routing-relevant change and handed to each worker, which keeps its own mutable
/// `TargetPicker` state beside it (`WorkerRouting`). Sharing it needs no locks.
public final class RoutingTable: Sendable {
    /// Increases with every snapshot a registry publishes; a worker ignores a table whose
    /// generation is not newer than the one it has.
    public let generation: UInt64
    public let listeners: [RouteListener]
    public let groups: [RouteGroup]
    public let timeouts: TimeoutConfiguration
    public let limits: LimitConfiguration
    /// Worker threads asked for (0 = one per core).
    public let workers: Int

    public init(
        generation: UInt64, listeners: [RouteListener], groups: [RouteGroup],
        timeouts: TimeoutConfiguration = TimeoutConfiguration(), limits: LimitConfiguration = LimitConfiguration(),
        workers: Int = 0
    ) {
        self.generation = generation
        self.listeners = listeners
        self.groups = groups
        self.timeouts = timeouts
        self.limits = limits
        self.workers = workers
    }

    public func groupIndex(named name: String) -> Int? {
        groups.firstIndex { $0.name == name }
    }

    public func listenerIndex(port: Int) -> Int? {
        listeners.firstIndex { $0.port == port }
    }

    public func listenerIndex(named name: String) -> Int? {
        listeners.firstIndex { $0.name == name }
    }
}
