/// The container instances of one cluster as the scheduler sees them, kept between placement
/// requests: placing tasks takes their resources, `release` gives them back.
///
/// Besides the instance records it keeps per-instance columns (remaining resources, readiness,
/// task counts per group, results of attribute-only queries, spread buckets) that every change
/// updates in place, so a placement request costs a few passes over plain arrays rather than
/// over the records. A value type: copy it to try a placement without committing it.
public struct ClusterState: Sendable {
    /// The instances, in registration order.
    public private(set) var instances: [ContainerInstanceCandidate]
    private var indexByArn: [String: Int]
    private var remainingCPU: [Int]
    private var remainingMemory: [Int]
    private var readiness: [InstanceReadiness]
    private var cache = PlacementCache()

    /// A state holding `instances`; a later instance with the same ARN replaces an earlier one.
    public init(instances: [ContainerInstanceCandidate] = []) {
        self.instances = []
        self.indexByArn = [:]
        self.remainingCPU = []
        self.remainingMemory = []
        self.readiness = []
        self.instances.reserveCapacity(instances.count)
        for instance in instances { upsert(instance) }
    }

    /// The instance with this container instance ARN.
    public func instance(arn: String) -> ContainerInstanceCandidate? {
        indexByArn[arn].map { instances[$0] }
    }

    /// Adds an instance, or replaces the one with the same ARN (registration, attribute or
    /// status changes, resources reported by its agent).
    public mutating func upsert(_ instance: ContainerInstanceCandidate) {
        if let index = indexByArn[instance.arn] {
            instances[index] = instance
            remainingCPU[index] = instance.remainingCPU
            remainingMemory[index] = instance.remainingMemory
            readiness[index] = InstanceReadiness(instance)
            refreshCache(at: index, appended: false)
        } else {
            indexByArn[instance.arn] = instances.count
            instances.append(instance)
            remainingCPU.append(instance.remainingCPU)
            remainingMemory.append(instance.remainingMemory)
            readiness.append(InstanceReadiness(instance))
            refreshCache(at: instances.count - 1, appended: true)
        }
    }

    /// Removes the instance with this ARN (deregistration); returns it.
    @discardableResult
    public mutating func remove(arn: String) -> ContainerInstanceCandidate? {
        guard let index = indexByArn.removeValue(forKey: arn) else { return nil }
        let removed = instances.remove(at: index)
        remainingCPU.remove(at: index)
        remainingMemory.remove(at: index)
        readiness.remove(at: index)
        for later in index..<instances.count { indexByArn[instances[later].arn] = later }
        // Rare: rebuilt on demand rather than shifted.
        cache = PlacementCache()
        return removed
    }

    /// Gives back what one task of `requirement` took on the instance (the task stopped).
    /// Returns false when there is no such instance or no task of the group on it.
    @discardableResult
    public mutating func release(_ requirement: TaskRequirement, fromInstance arn: String) -> Bool {
        guard let index = indexByArn[arn], instances[index].taskCount(inGroup: requirement.group) > 0 else { return false }
        instances[index].remainingCPU += requirement.cpu
        instances[index].remainingMemory += requirement.memory
        instances[index].usedPorts.subtract(requirement.hostPorts)
        let remaining = instances[index].taskCount(inGroup: requirement.group) - 1
        instances[index].taskGroupCounts[requirement.group] = remaining > 0 ? remaining : nil
        instances[index].runningTasksCount = max(0, instances[index].runningTasksCount - 1)
        remainingCPU[index] = instances[index].remainingCPU
        remainingMemory[index] = instances[index].remainingMemory
        cache.groupTasks[requirement.group]?[index] = remaining
        return true
    }

    /// Places `count` tasks of `requirement`, one after another, each on the best instance
    /// that fits it and satisfies every constraint, as ranked by `strategies` (each one ranking
    /// the instances the ones before it left tied; remaining ties are broken at random). Each
    /// placement takes its resources before the next task is placed, so binpack fills one
    /// instance before the next, spread takes turns and distinctInstance never doubles up.
    ///
    /// - Parameter randomSeed: seeds the `random` strategy and tie-breaking; the same seed on
    ///   the same state places the same way.
    /// - Throws: what ECS refuses with `InvalidParameterException` (see `Placer.validate`);
    ///   nothing is placed then.
    public mutating func place(
        count: Int, requirement: TaskRequirement, strategies: [PlacementStrategy] = [],
        constraints: [PlacementConstraint] = [], randomSeed: UInt64
    ) throws(PlacementValidationError) -> PlacementResult {
        try Placer.validate(strategies: strategies, constraints: constraints)
        guard count >= 0 else { throw .invalidCount(count) }
        guard count > 0 else { return PlacementResult(placements: [], failures: [], unplacedCount: 0) }

        let (ranking, spreadAttributes) = PlacementPass.ranking(for: strategies)
        var rules: [PlacementPass.Rule] = []
        for constraint in constraints {
            switch constraint {
            case .distinctInstance: rules.append(.distinctInstance)
            case .memberOf(let query) where query.dependsOnTasks: rules.append(.memberOfDependingOnTasks(query))
            case .memberOf(let query): rules.append(.memberOf(queryMatches(query)))
            }
        }
        let needsGroupTasks = rules.contains { if case .distinctInstance = $0 { return true } else { return false } }
            || ranking.contains { if case .groupTasksOnInstance = $0 { return true } else { return false } }
            || !spreadAttributes.isEmpty
        var pass = PlacementPass(
            instances: instances, requirement: requirement, readiness: readiness, remainingCPU: remainingCPU,
            remainingMemory: remainingMemory, groupTasks: needsGroupTasks ? groupTasks(requirement.group) : [],
            rules: rules, ranking: ranking, buckets: spreadAttributes.map { buckets($0) }, randomSeed: randomSeed)

        var placements: [Placement] = []
        placements.reserveCapacity(min(count, Self.placementsReservedUpFront))
        for taskIndex in 0..<count {
            guard let chosen = pass.chooseInstance() else {
                return PlacementResult(placements: placements, failures: pass.failures(instances), unplacedCount: count - taskIndex)
            }
            take(requirement, onInstanceAt: chosen)
            pass.didPlace(onInstanceAt: chosen, instances)
            placements.append(Placement(taskIndex: taskIndex, instanceArn: instances[chosen].arn, instanceId: instances[chosen].id))
        }
        return PlacementResult(placements: placements, failures: [], unplacedCount: 0)
    }

    /// Room reserved for placements before placing: a request for far more tasks than fit
    /// should not allocate for all of them.
    static let placementsReservedUpFront = 1024

    private mutating func take(_ requirement: TaskRequirement, onInstanceAt index: Int) {
        instances[index].remainingCPU -= requirement.cpu
        instances[index].remainingMemory -= requirement.memory
        instances[index].usedPorts.formUnion(requirement.hostPorts)
        instances[index].taskGroupCounts[requirement.group, default: 0] += 1
        instances[index].runningTasksCount += 1
        remainingCPU[index] = instances[index].remainingCPU
        remainingMemory[index] = instances[index].remainingMemory
        cache.groupTasks[requirement.group]?[index] += 1
    }

    // MARK: - Cached columns

    private mutating func groupTasks(_ group: String) -> [Int] {
        if let column = cache.groupTasks[group] { return column }
        if cache.groupTasks.count >= PlacementCache.maximumGroups { cache.groupTasks.removeAll(keepingCapacity: true) }
        let column = instances.indices.map { instances[$0].taskCount(inGroup: group) }
        cache.groupTasks[group] = column
        return column
    }

    private mutating func queryMatches(_ query: ClusterQuery) -> [Bool] {
        if let column = cache.queryMatches[query.source] { return column.matches }
        if cache.queryMatches.count >= PlacementCache.maximumQueries { cache.queryMatches.removeAll(keepingCapacity: true) }
        let matches = instances.indices.map { query.matches(instances[$0]) }
        cache.queryMatches[query.source] = PlacementCache.QueryColumn(query: query, matches: matches)
        return matches
    }

    private mutating func buckets(_ attribute: String) -> AttributeBuckets {
        if let buckets = cache.attributeBuckets[attribute] { return buckets }
        if cache.attributeBuckets.count >= PlacementCache.maximumAttributes { cache.attributeBuckets.removeAll(keepingCapacity: true) }
        var buckets = AttributeBuckets()
        buckets.bucketOf = instances.indices.map { buckets.bucket(for: instances[$0].attributes[attribute] ?? nil) }
        cache.attributeBuckets[attribute] = buckets
        return buckets
    }

    /// Brings every cached column up to date for the instance at `index` (new or replaced).
    private mutating func refreshCache(at index: Int, appended: Bool) {
        for group in Array(cache.groupTasks.keys) {
            let count = instances[index].taskCount(inGroup: group)
            if appended { cache.groupTasks[group]?.append(count) } else { cache.groupTasks[group]?[index] = count }
        }
        for source in Array(cache.queryMatches.keys) {
            guard let query = cache.queryMatches[source]?.query else { continue }
            let matches = query.matches(instances[index])
            if appended { cache.queryMatches[source]?.matches.append(matches) } else { cache.queryMatches[source]?.matches[index] = matches }
        }
        for attribute in Array(cache.attributeBuckets.keys) {
            let value = instances[index].attributes[attribute] ?? nil
            guard let bucket = cache.attributeBuckets[attribute]?.bucket(for: value) else { continue }
            if appended { cache.attributeBuckets[attribute]?.bucketOf.append(bucket) } else { cache.attributeBuckets[attribute]?.bucketOf[index] = bucket }
        }
    }
}
