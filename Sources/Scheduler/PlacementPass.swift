/// One placement request while it places its tasks: which instances are eligible, and the
/// ranking keys of every instance in flat arrays, so choosing an instance is one pass over plain
/// integers. Placing a task changes one instance, so between tasks only that instance's entries
/// (and the task count of its spread buckets) change.
struct PlacementPass {
    /// Whether an instance can take the task, or the first reason it cannot.
    enum Verdict: Equatable {
        /// Not `ACTIVE`: not considered at all.
        case notCandidate
        case rejected(PlacementFailureReason)
        case eligible
    }

    /// A constraint, resolved against the cluster's cached columns.
    enum Rule {
        case distinctInstance
        /// A query that does not depend on tasks: its result per instance.
        case memberOf([Bool])
        /// A query on `task:group` or `runningTasksCount`: evaluated on the instance record.
        case memberOfDependingOnTasks(ClusterQuery)
    }

    /// One ranking key; lower ranks first.
    enum RankKey {
        case remainingCPU
        case remainingMemory
        /// Tasks of the group on the instance (spread over instances).
        case groupTasksOnInstance
        /// Tasks of the group on all instances sharing the instance's value of spread attribute
        /// number `n`.
        case groupTasksInBucket(Int)
    }

    /// The ranking keys of `strategies`, up to the first `random` (which leaves no ties, so the
    /// rules after it never decide anything), and the attributes spread over.
    static func ranking(for strategies: [PlacementStrategy]) -> (keys: [RankKey], spreadAttributes: [String]) {
        var keys: [RankKey] = []
        var attributes: [String] = []
        for strategy in strategies {
            switch strategy {
            case .random: return (keys, attributes)
            case .binpack(.cpu): keys.append(.remainingCPU)
            case .binpack(.memory): keys.append(.remainingMemory)
            case .spread(.instanceId): keys.append(.groupTasksOnInstance)
            case .spread(.attribute(let name)):
                keys.append(.groupTasksInBucket(attributes.count))
                attributes.append(name)
            }
        }
        return (keys, attributes)
    }

    let requirement: TaskRequirement
    private let rules: [Rule]
    private let readiness: [InstanceReadiness]
    private let ranking: [RankKey]
    private var remainingCPU: [Int]
    private var remainingMemory: [Int]
    /// Tasks of the requirement's group per instance (empty when nothing needs it).
    private var groupTasks: [Int]
    private let bucketOf: [[Int]]
    private var bucketTasks: [[Int]]
    private var eligible: [Bool]
    private var bestKeys: [Int]
    private var random: SeededRandom

    init(
        instances: [ContainerInstanceCandidate], requirement: TaskRequirement, readiness: [InstanceReadiness],
        remainingCPU: [Int], remainingMemory: [Int], groupTasks: [Int], rules: [Rule], ranking: [RankKey],
        buckets: [AttributeBuckets], randomSeed: UInt64
    ) {
        self.requirement = requirement
        self.rules = rules
        self.readiness = readiness
        self.ranking = ranking
        self.remainingCPU = remainingCPU
        self.remainingMemory = remainingMemory
        self.groupTasks = groupTasks
        self.bucketOf = buckets.map(\.bucketOf)
        self.bucketTasks = buckets.map { buckets in
            var tasks = [Int](repeating: 0, count: buckets.bucketCount)
            for (index, bucket) in buckets.bucketOf.enumerated() { tasks[bucket] += groupTasks[index] }
            return tasks
        }
        self.bestKeys = [Int](repeating: 0, count: ranking.count)
        self.random = SeededRandom(seed: randomSeed)
        self.eligible = []
        self.eligible = initialEligibility(instances)
    }

    /// Eligibility of every instance, a column at a time (the same answer as `verdict`, without
    /// working out reasons).
    private func initialEligibility(_ instances: [ContainerInstanceCandidate]) -> [Bool] {
        let cpu = requirement.cpu
        let memory = requirement.memory
        var eligible = [Bool](repeating: false, count: readiness.count)
        for index in 0..<readiness.count {
            eligible[index] = readiness[index] == .ready && remainingCPU[index] >= cpu && remainingMemory[index] >= memory
        }
        if !requirement.requiredAttributes.isEmpty || !requirement.hostPorts.isEmpty {
            for index in 0..<eligible.count where eligible[index] {
                eligible[index] = requirement.requiredAttributes.allSatisfy { $0.isSatisfied(by: instances[index]) }
                    && instances[index].usedPorts.isDisjoint(with: requirement.hostPorts)
            }
        }
        for rule in rules {
            switch rule {
            case .distinctInstance:
                for index in 0..<eligible.count where groupTasks[index] > 0 { eligible[index] = false }
            case .memberOf(let matches):
                for index in 0..<eligible.count where !matches[index] { eligible[index] = false }
            case .memberOfDependingOnTasks(let query):
                for index in 0..<eligible.count where eligible[index] && !query.matches(instances[index]) { eligible[index] = false }
            }
        }
        return eligible
    }

    /// The checks in the order ECS reports them: agent, required attributes, CPU, memory,
    /// ports, then the constraints in request order.
    func verdict(at index: Int, _ instances: [ContainerInstanceCandidate]) -> Verdict {
        switch readiness[index] {
        case .notCandidate: return .notCandidate
        case .agentDisconnected: return .rejected(.agent)
        case .ready: break
        }
        for attribute in requirement.requiredAttributes where !attribute.isSatisfied(by: instances[index]) {
            return .rejected(.attribute)
        }
        guard remainingCPU[index] >= requirement.cpu else { return .rejected(.cpu) }
        guard remainingMemory[index] >= requirement.memory else { return .rejected(.memory) }
        if !instances[index].usedPorts.isDisjoint(with: requirement.hostPorts) { return .rejected(.ports) }
        for rule in rules {
            switch rule {
            case .distinctInstance:
                if groupTasks[index] > 0 { return .rejected(.distinctInstance) }
            case .memberOf(let matches):
                if !matches[index] { return .rejected(.memberOf) }
            case .memberOfDependingOnTasks(let query):
                if !query.matches(instances[index]) { return .rejected(.memberOf) }
            }
        }
        return .eligible
    }

    /// The best eligible instance: lowest keys in ranking order, ties broken uniformly at
    /// random (reservoir sampling over the tied ones). Nil when none is eligible.
    mutating func chooseInstance() -> Int? {
        var random = self.random
        defer { self.random = random }
        let eligible = self.eligible
        var best = -1
        var ties = 0
        switch ranking.count {
        case 0:
            for index in 0..<eligible.count where eligible[index] {
                ties += 1
                if ties == 1 || random.below(ties) == 0 { best = index }
            }
        case 1:
            // The common case, without the key loop.
            var bestKey = Int.max
            for index in 0..<eligible.count where eligible[index] {
                let key = self.key(0, index)
                if key < bestKey || best < 0 {
                    bestKey = key
                    best = index
                    ties = 1
                } else if key == bestKey {
                    ties += 1
                    if random.below(ties) == 0 { best = index }
                }
            }
        default:
            let keyCount = ranking.count
            for index in 0..<eligible.count where eligible[index] {
                var order = -1
                if best >= 0 {
                    // Most instances lose on the first key already.
                    let firstKey = self.key(0, index)
                    if firstKey > bestKeys[0] { continue }
                    order = firstKey < bestKeys[0] ? -1 : 0
                    for position in 1..<keyCount where order == 0 {
                        let key = self.key(position, index)
                        let bestKey = bestKeys[position]
                        if key != bestKey {
                            order = key < bestKey ? -1 : 1
                            break
                        }
                    }
                }
                if order < 0 {
                    best = index
                    ties = 1
                    for position in 0..<keyCount { bestKeys[position] = key(position, index) }
                } else if order == 0 {
                    ties += 1
                    if random.below(ties) == 0 { best = index }
                }
            }
        }
        return best >= 0 ? best : nil
    }

    @inline(__always)
    private func key(_ position: Int, _ index: Int) -> Int {
        switch ranking[position] {
        case .remainingCPU: return remainingCPU[index]
        case .remainingMemory: return remainingMemory[index]
        case .groupTasksOnInstance: return groupTasks[index]
        case .groupTasksInBucket(let attribute): return bucketTasks[attribute][bucketOf[attribute][index]]
        }
    }

    /// Brings the keys and eligibility of the instance just placed on up to date.
    mutating func didPlace(onInstanceAt index: Int, _ instances: [ContainerInstanceCandidate]) {
        remainingCPU[index] -= requirement.cpu
        remainingMemory[index] -= requirement.memory
        if !groupTasks.isEmpty { groupTasks[index] += 1 }
        for attribute in bucketTasks.indices {
            bucketTasks[attribute][bucketOf[attribute][index]] += 1
        }
        eligible[index] = verdict(at: index, instances) == .eligible
    }

    /// `failures` once no instance can take the task: each `ACTIVE` instance with its reason.
    func failures(_ instances: [ContainerInstanceCandidate]) -> [PlacementFailure] {
        instances.indices.compactMap { index in
            guard case .rejected(let reason) = verdict(at: index, instances) else { return nil }
            return PlacementFailure(arn: instances[index].arn, reason: reason)
        }
    }
}
