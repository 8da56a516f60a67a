struct DescribeCapacityProvidersRequest: Decodable {
    var capacityProviders: [String]?
    var cluster: String?
    var include: [String]?
    var maxResults: Int?
    var nextToken: String?
}

struct DescribeCapacityProvidersResponse: Encodable {
    var capacityProviders: [ECSCapacityProvider]
    var failures: [ECSFailure]
    var nextToken: String?
}

/// ECS `CapacityProvider`, as far as AWS's Fargate providers have members.
struct ECSCapacityProvider: Encodable, Sendable, Equatable {
    var capacityProviderArn: String
    var name: String
    /// `ACTIVE`.
    var status: String
    /// `FARGATE` or `FARGATE_SPOT` (ECS's `CapacityProviderType`).
    var type: String
    /// With `include: TAGS` only.
    var tags: [ECSTag]?
}
