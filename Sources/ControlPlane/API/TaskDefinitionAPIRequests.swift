/// Request and response members of the task definition operations (ECS API Reference).
/// RegisterTaskDefinition's request is ``TaskDefinition`` itself.

struct RegisterTaskDefinitionResponse: Encodable {
    var taskDefinition: TaskDefinition
    /// Present when the request carried tags.
    var tags: [ECSTag]?
}

struct DescribeTaskDefinitionRequest: Decodable {
    var taskDefinition: String?
    var include: [String]?
}

struct DescribeTaskDefinitionResponse: Encodable {
    var taskDefinition: TaskDefinition
    /// Present only with `include: ["TAGS"]`.
    var tags: [ECSTag]?
}

struct ListTaskDefinitionsRequest: Decodable {
    var familyPrefix: String?
    var status: String?
    var sort: String?
    var nextToken: String?
    var maxResults: Int?
}

struct ListTaskDefinitionsResponse: Encodable {
    var taskDefinitionArns: [String]
    var nextToken: String?
}

struct ListTaskDefinitionFamiliesRequest: Decodable {
    var familyPrefix: String?
    var status: String?
    var nextToken: String?
    var maxResults: Int?
}

struct ListTaskDefinitionFamiliesResponse: Encodable {
    var families: [String]
    var nextToken: String?
}

struct DeregisterTaskDefinitionRequest: Decodable {
    var taskDefinition: String?
}

struct DeregisterTaskDefinitionResponse: Encodable {
    var taskDefinition: TaskDefinition
}

struct DeleteTaskDefinitionsRequest: Decodable {
    var taskDefinitions: [String]?
}

struct DeleteTaskDefinitionsResponse: Encodable {
    var taskDefinitions: [TaskDefinition]
    var failures: [ECSFailure]
}
