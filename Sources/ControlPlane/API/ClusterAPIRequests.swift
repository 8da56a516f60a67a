/// Request and response members of the cluster operations (ECS API Reference).

struct CreateClusterRequest: Decodable {
    var clusterName: String?
    var tags: [ECSTag]?
    var settings: [ECSClusterSetting]?
    var configuration: ECSClusterConfiguration?
    var capacityProviders: [String]?
    var defaultCapacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
    var serviceConnectDefaults: ECSClusterServiceConnectDefaults?
}

/// CreateCluster, DeleteCluster, UpdateCluster and UpdateClusterSettings all answer `{"cluster": ...}`.
struct ClusterResponse: Encodable {
    var cluster: ECSCluster
}

struct DescribeClustersRequest: Decodable {
    var clusters: [String]?
    var include: [String]?
}

struct DescribeClustersResponse: Encodable {
    var clusters: [ECSCluster]
    var failures: [ECSFailure]
}

struct ListClustersRequest: Decodable {
    var nextToken: String?
    var maxResults: Int?
}

struct ListClustersResponse: Encodable {
    var clusterArns: [String]
    var nextToken: String?
}

struct DeleteClusterRequest: Decodable {
    var cluster: String?
}

struct UpdateClusterRequest: Decodable {
    var cluster: String?
    var settings: [ECSClusterSetting]?
    var configuration: ECSClusterConfiguration?
    var serviceConnectDefaults: ECSClusterServiceConnectDefaults?
}

struct UpdateClusterSettingsRequest: Decodable {
    var cluster: String?
    var settings: [ECSClusterSetting]?
}

struct PutClusterCapacityProvidersRequest: Decodable {
    var cluster: String?
    var capacityProviders: [String]?
    var defaultCapacityProviderStrategy: [ECSCapacityProviderStrategyItem]?
}
