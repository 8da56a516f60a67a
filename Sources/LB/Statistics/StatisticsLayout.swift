import Synchronization

/// Hands out layout generations; a generation names one layout for the hub's binding cache.
private let nextLayoutGeneration = Atomic<UInt64>(1)

/// The dense numbering of listeners, target groups and targets that one routing snapshot uses.
///
/// Workers count by array index on the request path (`requestStarted(listener: 0, group: 2,
/// target: 5)`); the layout is what turns those indexes back into names and target ids when a
/// worker's counts reach the ``StatisticsHub``. It is built once per routing snapshot, off the
/// request path. Target indexes are per target group: target `t` of group `g` is
/// `targetGroups[g].targets[t]`.
public struct StatisticsLayout: Sendable {
    /// One target group and its targets, in the order the routing snapshot indexes them.
    public struct TargetGroup: Hashable, Sendable {
        public var name: String
        public var targets: [TargetIdentity]

        public init(name: String, targets: [TargetIdentity]) {
            self.name = name
            self.targets = targets
        }
    }

    /// Unique per layout value built in this process; the hub caches name look-ups by it.
    public let generation: UInt64
    /// Listener names, indexed as the request path indexes listeners.
    public let listeners: [String]
    /// Target groups, indexed as the request path indexes them.
    public let targetGroups: [TargetGroup]
    /// Number of targets over all groups: the length of a worker's per-target tables.
    public let targetSlotCount: Int

    /// `firstTargetSlot[g]` is the flat slot of target 0 of group `g`; one extra entry at the
    /// end (`targetSlotCount`) bounds the last group.
    @usableFromInline let firstTargetSlot: [Int]
    let listenerIndexes: [String: Int]
    let targetGroupIndexes: [String: Int]
    let targetIndexes: [[UInt64: Int]]

    /// A layout with no listeners and no target groups.
    public static let empty = StatisticsLayout(unchecked: [], targetGroups: [])

    /// Builds the layout of one routing snapshot.
    ///
    /// - Throws: ``StatisticsLayoutError`` when a listener or target group name, or a target id
    ///   within one group, appears twice.
    public init(listeners: [String], targetGroups: [TargetGroup]) throws(StatisticsLayoutError) {
        var seenListeners = Set<String>()
        for name in listeners where !seenListeners.insert(name).inserted {
            throw .duplicateListener(name: name)
        }
        var seenGroups = Set<String>()
        for group in targetGroups {
            guard seenGroups.insert(group.name).inserted else { throw .duplicateTargetGroup(name: group.name) }
            var seenTargets = Set<UInt64>()
            for target in group.targets where !seenTargets.insert(target.id).inserted {
                throw .duplicateTarget(targetGroup: group.name, id: target.id)
            }
        }
        self.init(unchecked: listeners, targetGroups: targetGroups)
    }

    /// Builds a layout whose names and ids are already known to be unique.
    init(unchecked listeners: [String], targetGroups: [TargetGroup]) {
        generation = nextLayoutGeneration.wrappingAdd(1, ordering: .relaxed).oldValue
        self.listeners = listeners
        self.targetGroups = targetGroups
        var slots: [Int] = []
        slots.reserveCapacity(targetGroups.count + 1)
        var next = 0
        for group in targetGroups {
            slots.append(next)
            next += group.targets.count
        }
        slots.append(next)
        firstTargetSlot = slots
        targetSlotCount = next
        var listenerIndexes: [String: Int] = [:]
        for (index, name) in listeners.enumerated() { listenerIndexes[name] = index }
        self.listenerIndexes = listenerIndexes
        var groupIndexes: [String: Int] = [:]
        for (index, group) in targetGroups.enumerated() { groupIndexes[group.name] = index }
        targetGroupIndexes = groupIndexes
        targetIndexes = targetGroups.map { group in
            var indexes: [UInt64: Int] = [:]
            for (index, target) in group.targets.enumerated() { indexes[target.id] = index }
            return indexes
        }
    }

    /// The index of the listener named `name`, if the layout has it.
    public func listenerIndex(named name: String) -> Int? { listenerIndexes[name] }

    /// The index of the target group named `name`, if the layout has it.
    public func targetGroupIndex(named name: String) -> Int? { targetGroupIndexes[name] }

    /// The index (within group `group`) of the target with id `id`, if the group has it.
    public func targetIndex(group: Int, id: UInt64) -> Int? {
        guard targetIndexes.indices.contains(group) else { return nil }
        return targetIndexes[group][id]
    }

    /// Where the target `id` of the group named `targetGroup` sits in this layout: what a
    /// connection opened under an older layout uses to find its target again.
    public func targetPosition(targetGroup: String, id: UInt64) -> (group: Int, target: Int)? {
        guard let group = targetGroupIndexes[targetGroup], let target = targetIndexes[group][id] else { return nil }
        return (group, target)
    }

    /// The flat slot of target `target` of group `group` in a worker's per-target tables.
    ///
    /// Traps when `target` is not a target of `group`: counting it into a neighbour's slot
    /// would corrupt that target's figures without a trace.
    @inlinable
    func targetSlot(group: Int, target: Int) -> Int {
        let slot = firstTargetSlot[group] &+ target
        precondition(target >= 0 && slot < firstTargetSlot[group &+ 1], "target index outside its target group")
        return slot
    }
}
