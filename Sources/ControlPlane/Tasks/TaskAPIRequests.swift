/// Request and response members of the task operations (ECS API Reference). Members Wharf
/// accepts without acting on (`referenceId`, `volumeConfigurations`)
/// are read where a check applies and otherwise ignored.

/// RunTask's members. Encodable too: with the `clientToken` left out, its canonical JSON is
/// what a retry under the same token must match.
struct RunTaskRequest: Codable, ClientTokenRequest {
    var cluster: String?
    var taskDefinition: String?
    var count: Int?
    var launchType: String?
    var capacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    var platformVersion: String?
    var networkConfiguration: TaskNetworkConfiguration?
    var overrides: TaskOverride?
    var placementConstraints: [PlacementConstraintMember]?
    var placementStrategy: [PlacementStrategyMember]?
    var group: String?
    var startedBy: String?
    var tags: [ECSTag]?
    var enableECSManagedTags: Bool?
    var enableExecuteCommand: Bool?
    var propagateTags: String?
    var referenceId: String?
    var clientToken: String?
}

struct StartTaskRequest: Decodable {
    var cluster: String?
    var taskDefinition: String?
    var containerInstances: [String]?
    var networkConfiguration: TaskNetworkConfiguration?
    var overrides: TaskOverride?
    var group: String?
    var startedBy: String?
    var tags: [ECSTag]?
    var enableECSManagedTags: Bool?
    var enableExecuteCommand: Bool?
    var propagateTags: String?
    var referenceId: String?
}

/// RunTask and StartTask answer the tasks started and the failures.
struct TasksResponse: Encodable {
    var tasks: [ECSTask]
    var failures: [ECSFailure]
}

struct StopTaskRequest: Decodable {
    var cluster: String?
    var task: String?
    var reason: String?
}

struct StopTaskResponse: Encodable {
    var task: ECSTask
}

struct DescribeTasksRequest: Decodable {
    var cluster: String?
    var tasks: [String]?
    var include: [String]?
}

struct ListTasksRequest: Decodable {
    var cluster: String?
    var containerInstance: String?
    var family: String?
    var nextToken: String?
    var maxResults: Int?
    var startedBy: String?
    var serviceName: String?
    var desiredStatus: String?
    var launchType: String?
}

struct ListTasksResponse: Encodable {
    var taskArns: [String]
    var nextToken: String?
}

/// ECS `PlacementConstraint` as requests spell it and services report it.
public struct PlacementConstraintMember: Codable, Equatable, Sendable {
    public var type: String?
    public var expression: String?
}

/// ECS `PlacementStrategy` as requests spell it and services report it.
public struct PlacementStrategyMember: Codable, Equatable, Sendable {
    public var type: String?
    public var field: String?
}
