import AWSProtocol

/// The `ServiceNamespace` + `ResourceId` + `ScalableDimension` triple most operations
/// name a scalable target by, validated: Wharf scales only ECS services' desired count.
struct ScalableTargetKey: Sendable, Hashable {
    static let namespace = "ecs"
    static let dimension = "ecs:service:DesiredCount"
    /// AWS's ServiceNamespace values; the others are valid input Wharf cannot serve.
    static let awsNamespaces: Set<String> = [
        "ecs", "elasticmapreduce", "ec2", "appstream", "dynamodb", "rds", "sagemaker", "custom-resource",
        "comprehend", "lambda", "cassandra", "kafka", "elasticache", "neptune", "workspaces",
    ]

    let service: ECSServiceReference
    var resourceID: String { service.resourceID }

    /// Reads the triple from `members`; all three required.
    init(_ members: JSONMembers) throws(AWSServiceError) {
        try Self.checkNamespace(members)
        let resourceID = try members.requiredString("ResourceId")
        let dimension = try members.requiredString("ScalableDimension")
        try Self.checkDimension(dimension)
        guard let service = ECSServiceReference(resourceID: resourceID) else {
            throw AutoScalingError.validation("Unsupported resource ID: \(resourceID). An ECS resource ID must have the form service/CLUSTER/SERVICE")
        }
        self.service = service
    }

    /// Checks the required ServiceNamespace.
    static func checkNamespace(_ members: JSONMembers) throws(AWSServiceError) {
        let namespace = try members.requiredString("ServiceNamespace")
        guard awsNamespaces.contains(namespace) else {
            throw AutoScalingError.validation("1 validation error detected: Value '\(namespace)' at 'serviceNamespace' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [\(awsNamespaces.sorted().joined(separator: ", "))]")
        }
        guard namespace == Self.namespace else {
            throw AutoScalingError.validation("Unsupported service namespace: \(namespace). Wharf scales only ecs")
        }
    }

    static func checkDimension(_ dimension: String) throws(AWSServiceError) {
        guard dimension == Self.dimension else {
            throw AutoScalingError.validation("Unsupported scalable dimension: \(dimension). ECS supports only \(Self.dimension)")
        }
    }

    /// The Describe operations' optional filters, checked: ServiceNamespace (required),
    /// ScalableDimension (when given it must be the one Wharf serves, so it selects every
    /// target) and ResourceIds / ResourceId, returned as the resource ids to select (nil: all).
    static func resourceFilter(_ members: JSONMembers) throws(AWSServiceError) -> [String]? {
        try checkNamespace(members)
        if let dimension = try members.optionalString("ScalableDimension") { try checkDimension(dimension) }
        var resourceIDs: [String]?
        if let list = try members.optionalStringList("ResourceIds"), !list.isEmpty { resourceIDs = list }
        if let single = try members.optionalString("ResourceId") { resourceIDs = (resourceIDs ?? []) + [single] }
        return resourceIDs
    }
}
