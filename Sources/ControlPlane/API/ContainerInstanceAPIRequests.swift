/// Request and response members of the container instance operations (ECS API Reference).

struct RegisterContainerInstanceRequest: Decodable {
    var cluster: String?
    var instanceIdentityDocument: String?
    var instanceIdentityDocumentSignature: String?
    var totalResources: [ECSResource]?
    var versionInfo: ECSVersionInfo?
    var containerInstanceArn: String?
    var attributes: [ECSAttribute]?
    var platformDevices: [ECSPlatformDevice]?
    var tags: [ECSTag]?
}

/// RegisterContainerInstance and DeregisterContainerInstance answer `{"containerInstance": ...}`.
struct ContainerInstanceResponse: Encodable {
    var containerInstance: ECSContainerInstance
}

struct DeregisterContainerInstanceRequest: Decodable {
    var cluster: String?
    var containerInstance: String?
    var force: Bool?
}

struct DescribeContainerInstancesRequest: Decodable {
    var cluster: String?
    var containerInstances: [String]?
    var include: [String]?
}

/// DescribeContainerInstances and UpdateContainerInstancesState answer instances and failures.
struct ContainerInstancesResponse: Encodable {
    var containerInstances: [ECSContainerInstance]
    var failures: [ECSFailure]
}

struct ListContainerInstancesRequest: Decodable {
    var cluster: String?
    var filter: String?
    var nextToken: String?
    var maxResults: Int?
    var status: String?
}

struct ListContainerInstancesResponse: Encodable {
    var containerInstanceArns: [String]
    var nextToken: String?
}

struct UpdateContainerInstancesStateRequest: Decodable {
    var cluster: String?
    var containerInstances: [String]?
    var status: String?
}
