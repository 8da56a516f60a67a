/// Per-instance columns a placement request needs and that outlive it: kept in step with every
/// change of the instances, so a request reads arrays instead of walking instance records.
///
/// Each kind is bounded; when a kind is full it is emptied and refilled on demand (one pass over
/// the instances), which keeps memory at most `maximum… × instances` entries.
struct PlacementCache: Sendable {
    /// Task groups whose per-instance task counts are kept.
    static let maximumGroups = 256
    /// Task-independent `memberOf` queries whose per-instance results are kept.
    static let maximumQueries = 256
    /// Spread attributes whose per-instance value buckets are kept.
    static let maximumAttributes = 64

    /// Tasks of the group on each instance.
    var groupTasks: [String: [Int]] = [:]
    /// Result of a query (that does not depend on tasks) for each instance, by query source.
    var queryMatches: [String: QueryColumn] = [:]
    /// The value bucket of each instance, by attribute name.
    var attributeBuckets: [String: AttributeBuckets] = [:]

    struct QueryColumn: Sendable {
        var query: ClusterQuery
        var matches: [Bool]
    }
}

/// Instances grouped by their value of one attribute, for spreading over it.
struct AttributeBuckets: Sendable {
    /// The bucket of each instance. Instances without the attribute, or with no value for it,
    /// share one bucket.
    var bucketOf: [Int] = []
    var bucketByValue: [String?: Int] = [:]

    /// The bucket for a value, made if new.
    mutating func bucket(for value: String?) -> Int {
        if let known = bucketByValue[value] { return known }
        let bucket = bucketByValue.count
        bucketByValue[value] = bucket
        return bucket
    }

    var bucketCount: Int { bucketByValue.count }
}

/// Whether an instance is a candidate at all, before looking at the task.
enum InstanceReadiness: UInt8, Sendable {
    /// Not `ACTIVE`: never considered, never listed in failures.
    case notCandidate
    /// `ACTIVE` but the agent is disconnected: failure `AGENT`.
    case agentDisconnected
    case ready

    init(_ instance: ContainerInstanceCandidate) {
        if instance.status != .active {
            self = .notCandidate
        } else {
            self = instance.agentConnected ? .ready : .agentDisconnected
        }
    }
}
