/// The entities of one layout, resolved once so a merge indexes arrays instead of hashing
/// names; shared by every worker on that layout.
final class LayoutBinding {
    let listeners: [HubEntity]
    let targetGroups: [HubEntity]
    /// By flat target slot.
    let targets: [HubEntity]
    let layout: StatisticsLayout
    var lastUsed: Double

    init(layout: StatisticsLayout, listeners: [HubEntity], targetGroups: [HubEntity], targets: [HubEntity], now: Double) {
        self.layout = layout
        self.listeners = listeners
        self.targetGroups = targetGroups
        self.targets = targets
        lastUsed = now
    }
}

/// Everything the hub holds; only ever touched inside its mutex.
struct HubState {
    let configuration: StatisticsHubConfiguration
    private(set) var entities: [HubEntityKey: HubEntity] = [:]
    private var bindings: [UInt64: LayoutBinding] = [:]
    private var lastPrune: Double?

    init(configuration: StatisticsHubConfiguration) {
        self.configuration = configuration
    }

    mutating func merge(_ delta: StatisticsDelta, now: Double) {
        let binding = binding(for: delta.layout, now: now)
        for entry in delta.listeners where binding.listeners.indices.contains(entry.index) {
            binding.listeners[entry.index].absorb(entry, counts: entry.counts, latencySlice: delta.latencySlice, now: now)
        }
        for entry in delta.targetGroups where binding.targetGroups.indices.contains(entry.index) {
            binding.targetGroups[entry.index].absorb(entry, counts: entry.counts, latencySlice: delta.latencySlice, now: now)
        }
        for entry in delta.targets {
            // Worker-made deltas always index their own layout; anything else is skipped.
            guard let target = entry.target, binding.targetGroups.indices.contains(entry.index),
                  delta.layout.targetGroups[entry.index].targets.indices.contains(target) else { continue }
            binding.targets[delta.layout.targetSlot(group: entry.index, target: target)]
                .absorb(entry, counts: entry.counts, latencySlice: delta.latencySlice, now: now)
            // A group's responses, bytes, connections, retries, ejections and target response
            // times are its targets'; its requests, errors and durations it counts itself.
            var contribution = entry
            contribution.requestDurations = .none
            binding.targetGroups[entry.index].absorb(contribution, counts: entry.counts.contributionToTargetGroup, latencySlice: delta.latencySlice, now: now)
        }
        pruneIfDue(now: now)
    }

    /// The binding of `layout`, created (with any entity it names) on first use.
    private mutating func binding(for layout: StatisticsLayout, now: Double) -> LayoutBinding {
        if let binding = bindings[layout.generation] {
            binding.lastUsed = now
            return binding
        }
        let listeners = layout.listeners.map { entity(.listener($0), targetKey: "", now: now) }
        let groups = layout.targetGroups.map { entity(.targetGroup($0.name), targetKey: "", now: now) }
        var targets: [HubEntity] = []
        targets.reserveCapacity(layout.targetSlotCount)
        for group in layout.targetGroups {
            for target in group.targets {
                let entity = entity(.target(group: group.name, id: target.id), targetKey: target.key, now: now)
                entity.targetKey = target.key
                targets.append(entity)
            }
        }
        let binding = LayoutBinding(layout: layout, listeners: listeners, targetGroups: groups, targets: targets, now: now)
        bindings[layout.generation] = binding
        return binding
    }

    private mutating func entity(_ key: HubEntityKey, targetKey: String, now: Double) -> HubEntity {
        if let existing = entities[key] { return existing }
        let seconds: Int
        switch key {
        case .listener, .targetGroup: seconds = configuration.secondsKeptPerTargetGroup
        case .target: seconds = configuration.secondsKeptPerTarget
        }
        let created = HubEntity(key: key, targetKey: targetKey, secondsKept: seconds + 1, now: now)
        entities[key] = created
        return created
    }

    /// Forgets layouts no worker merged under lately, then entities that no layout in use
    /// names, that have no open connections and that were idle for the retention time (a
    /// group only once none of its targets is left).
    private mutating func pruneIfDue(now: Double) {
        guard let last = lastPrune else {
            lastPrune = now
            return
        }
        guard now - last >= configuration.pruneInterval else { return }
        lastPrune = now
        bindings = bindings.filter { now - $0.value.lastUsed < configuration.layoutExpiry }
        var inUse = Set<ObjectIdentifier>()
        for binding in bindings.values {
            for entity in binding.listeners { inUse.insert(ObjectIdentifier(entity)) }
            for entity in binding.targetGroups { inUse.insert(ObjectIdentifier(entity)) }
            for entity in binding.targets { inUse.insert(ObjectIdentifier(entity)) }
        }
        func forgettable(_ entity: HubEntity) -> Bool {
            !inUse.contains(ObjectIdentifier(entity)) && entity.totals.activeConnections == 0
                && now - entity.lastActivity >= configuration.idleEntityRetention
        }
        var groupsWithTargets = Set<String>()
        for (key, entity) in entities {
            guard case .target(let group, _) = key else { continue }
            if forgettable(entity) {
                entities[key] = nil
            } else {
                groupsWithTargets.insert(group)
            }
        }
        for (key, entity) in entities {
            switch key {
            case .listener:
                if forgettable(entity) { entities[key] = nil }
            case .targetGroup(let name):
                if !groupsWithTargets.contains(name), forgettable(entity) { entities[key] = nil }
            case .target:
                break
            }
        }
    }

    /// Value copies of every entity, for reading outside the lock.
    func copies() -> [HubEntity.Copy] {
        entities.values.map(\.copy)
    }

    var estimatedFootprintInBytes: Int {
        entities.values.reduce(0) { sum, entity in
            sum + MemoryLayout<TrafficCounts>.stride + entity.perSecond.capacity * 8 + entity.statusCodes.count * 16
                + (entity.targetResponseTimes?.estimatedFootprintInBytes ?? 0)
                + (entity.requestDurations?.estimatedFootprintInBytes ?? 0)
        }
    }
}
