/// One worker's routing state: the snapshot it routes with and a `TargetPicker` per target
/// group. Owned by one event-loop thread; a new snapshot is adopted between events.
public struct WorkerRouting: Sendable {
    public private(set) var table: RoutingTable
    /// One per group, at the group's index in `table.groups`.
    public private(set) var pickers: [TargetPicker]
    private let seed: UInt64

    /// `seed` makes this worker's random choices differ from other workers' (use e.g. the
    /// worker number mixed with the time).
    public init(table: RoutingTable, seed: UInt64) {
        self.table = table
        self.seed = seed
        self.pickers = table.groups.indices.map {
            TargetPicker(group: table.groups[$0], seed: Self.groupSeed(seed, $0))
        }
    }

    /// Switches to `newTable`, keeping per-target state by group name and `TargetID`. Returns
    /// false (and changes nothing) when `newTable` is not newer than the current one, so
    /// snapshots delivered out of order cannot roll a worker back.
    @discardableResult
    public mutating func adopt(_ newTable: RoutingTable) -> Bool {
        guard newTable.generation > table.generation else { return false }
        var newPickers: [TargetPicker] = []
        newPickers.reserveCapacity(newTable.groups.count)
        for (index, group) in newTable.groups.enumerated() {
            if let old = table.groupIndex(named: group.name) {
                newPickers.append(TargetPicker(group: group, carryingOver: pickers[old]))
            } else {
                newPickers.append(TargetPicker(group: group, seed: Self.groupSeed(seed, index)))
            }
        }
        table = newTable
        pickers = newPickers
        return true
    }

    /// Picks a target of group `group` (an index into `table.groups`); nil when it has none.
    @inline(__always)
    public mutating func pick(group: Int, now: Double, excluding: TargetID? = nil) -> Int? {
        pickers[group].pick(now: now, excluding: excluding)
    }

    public mutating func requestStarted(group: Int, index: Int) {
        pickers[group].requestStarted(index)
    }

    /// Reports the end of a request by target id, which stays valid across snapshots (the
    /// group is found by name, since its index may change with a reload).
    @discardableResult
    public mutating func requestFinished(
        groupName: String, target id: TargetID, outcome: RequestOutcome, now: Double
    ) -> Double? {
        guard let group = table.groupIndex(named: groupName) else { return nil }
        return pickers[group].requestFinished(target: id, outcome: outcome, now: now)
    }

    /// Reports the end of a request by index, valid while `table` has not changed since the pick.
    @discardableResult
    public mutating func requestFinished(group: Int, index: Int, outcome: RequestOutcome, now: Double) -> Double? {
        pickers[group].requestFinished(index, outcome: outcome, now: now)
    }

    private static func groupSeed(_ seed: UInt64, _ index: Int) -> UInt64 {
        seed ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
    }
}
