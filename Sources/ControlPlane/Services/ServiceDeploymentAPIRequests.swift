/// Request and response members of ListServiceDeployments, DescribeServiceDeployments,
/// DescribeServiceRevisions and StopServiceDeployment (ECS API Reference).

struct ListServiceDeploymentsRequest: Decodable {
    struct CreatedAt: Decodable {
        var before: Double?
        var after: Double?
    }

    var service: String?
    var cluster: String?
    var status: [String]?
    var createdAt: CreatedAt?
    var nextToken: String?
    var maxResults: Int?
}

struct ListServiceDeploymentsResponse: Encodable {
    var serviceDeployments: [ECSServiceDeploymentBrief]
    var nextToken: String?
}

struct DescribeServiceDeploymentsRequest: Decodable {
    var serviceDeploymentArns: [String]?
}

struct DescribeServiceDeploymentsResponse: Encodable {
    var serviceDeployments: [ECSServiceDeployment]
    var failures: [ECSFailure]
}

struct DescribeServiceRevisionsRequest: Decodable {
    var serviceRevisionArns: [String]?
}

struct DescribeServiceRevisionsResponse: Encodable {
    var serviceRevisions: [ECSServiceRevision]
    var failures: [ECSFailure]
}

struct StopServiceDeploymentRequest: Decodable {
    var serviceDeploymentArn: String?
    var stopType: String?
}

struct StopServiceDeploymentResponse: Encodable {
    var serviceDeploymentArn: String
}
