/// Why a container instance could not take a task: the `reason` strings of RunTask's
/// `failures`, exactly as ECS writes them (the constraint ones end with a period there too).
public enum PlacementFailureReason: String, Sendable, Hashable, CaseIterable {
    /// The instance's agent is disconnected.
    case agent = "AGENT"
    /// The instance lacks an attribute the task definition requires.
    case attribute = "ATTRIBUTE"
    case cpu = "RESOURCE:CPU"
    case memory = "RESOURCE:MEMORY"
    case ports = "RESOURCE:PORTS"
    case distinctInstance = "DistinctInstance placement constraint unsatisfied."
    case memberOf = "MemberOf placement constraint unsatisfied."
}

/// One entry of `failures`: the container instance and why it could not take the task.
public struct PlacementFailure: Sendable, Hashable, CustomStringConvertible {
    /// The container instance ARN.
    public var arn: String
    public var reason: PlacementFailureReason

    public init(arn: String, reason: PlacementFailureReason) {
        self.arn = arn
        self.reason = reason
    }

    public var description: String { "\(arn): \(reason.rawValue)" }
}

/// Where one task goes.
public struct Placement: Sendable, Hashable {
    /// The task's index within the request, from 0.
    public var taskIndex: Int
    public var instanceArn: String
    public var instanceId: String

    public init(taskIndex: Int, instanceArn: String, instanceId: String) {
        self.taskIndex = taskIndex
        self.instanceArn = instanceArn
        self.instanceId = instanceId
    }
}

/// The outcome of one placement request.
///
/// Tasks are placed one after another; when one cannot be placed, none of the rest can either
/// (they are alike and nothing changed), so placement stops there. `failures` then lists every
/// `ACTIVE` instance once with the first reason it fails, in the order ECS checks them: agent,
/// required attributes, CPU, memory, ports, then the constraints in request order. Instances
/// that are not `ACTIVE` are not candidates and are not listed, so `failures` is empty when no
/// instance is `ACTIVE`; `unplacedCount` still says how many tasks were not placed.
public struct PlacementResult: Sendable, Hashable {
    /// Placed tasks, by task index (0..<placements.count).
    public var placements: [Placement]
    public var failures: [PlacementFailure]
    /// Tasks not placed.
    public var unplacedCount: Int

    public init(placements: [Placement], failures: [PlacementFailure], unplacedCount: Int) {
        self.placements = placements
        self.failures = failures
        self.unplacedCount = unplacedCount
    }
}
