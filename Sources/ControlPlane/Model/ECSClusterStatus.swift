/// A cluster's `status`. Wharf clusters are `ACTIVE` until DeleteCluster makes them `INACTIVE`
/// (they stay describable, as ECS keeps them); the capacity-provider states are listed because
/// ECS defines them, Wharf never enters them.
public enum ECSClusterStatus: String, Codable, Sendable, CaseIterable {
    case active = "ACTIVE"
    case provisioning = "PROVISIONING"
    case deprovisioning = "DEPROVISIONING"
    case failed = "FAILED"
    case inactive = "INACTIVE"
}
