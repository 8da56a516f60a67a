/// Task placement as one call over a list of candidates, and the request checks ECS makes
/// before placing anything.
public enum Placer {
    /// Places `count` tasks on `candidates` (see `ClusterState.place`) and writes the
    /// instances back with the placed tasks' resources taken. ARNs must be unique.
    public static func place(
        count: Int, requirement: TaskRequirement, strategies: [PlacementStrategy] = [],
        constraints: [PlacementConstraint] = [], candidates: inout [ContainerInstanceCandidate], randomSeed: UInt64
    ) throws(PlacementValidationError) -> PlacementResult {
        var state = ClusterState(instances: candidates)
        let result = try state.place(
            count: count, requirement: requirement, strategies: strategies, constraints: constraints, randomSeed: randomSeed)
        candidates = state.instances
        return result
    }

    /// ECS's limits on a request: at most `PlacementLimits.maximumStrategies` strategies and
    /// `PlacementLimits.maximumConstraints` constraints (the task definition's and the
    /// request's together), expressions of at most `PlacementLimits.maximumExpressionLength`.
    /// Strategy fields and expression syntax are checked when the `PlacementStrategy` /
    /// `PlacementConstraint` values are made from their API form.
    public static func validate(strategies: [PlacementStrategy], constraints: [PlacementConstraint]) throws(PlacementValidationError) {
        guard strategies.count <= PlacementLimits.maximumStrategies else {
            throw .tooManyStrategies(count: strategies.count, limit: PlacementLimits.maximumStrategies)
        }
        guard constraints.count <= PlacementLimits.maximumConstraints else {
            throw .tooManyConstraints(count: constraints.count, limit: PlacementLimits.maximumConstraints)
        }
        for case .memberOf(let query) in constraints {
            let length = query.source.unicodeScalars.count
            guard length <= PlacementLimits.maximumExpressionLength else {
                throw .expressionTooLong(length: length, limit: PlacementLimits.maximumExpressionLength)
            }
        }
    }
}
