/// ECS's managed tags (`enableECSManagedTags`): the tags ECS puts on a task, naming its cluster
/// and, for a service's task, its service. Their `aws:` keys are ECS's own: users cannot set or
/// remove them, and they count against no tag limit.
enum ECSManagedTags {
    static let clusterNameKey = "aws:ecs:clusterName"
    static let serviceNameKey = "aws:ecs:serviceName"

    /// The managed tags of a task of `clusterName` (and of the service `serviceArn`, if any).
    static func tags(clusterName: String, serviceArn: String?) -> [ECSTag] {
        var tags = [ECSTag(key: clusterNameKey, value: clusterName)]
        if let serviceArn, case .service(_, let name)? = ECSARN(parsing: serviceArn)?.resource {
            tags.append(ECSTag(key: serviceNameKey, value: name))
        }
        return tags
    }
}
