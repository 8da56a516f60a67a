/// Launch types (`LaunchType`). Used to split cluster statistics.
public enum ECSLaunchType: String, Codable, Sendable, CaseIterable {
    case ec2 = "EC2"
    case fargate = "FARGATE"
    case external = "EXTERNAL"
    case managedInstances = "MANAGED_INSTANCES"
}
