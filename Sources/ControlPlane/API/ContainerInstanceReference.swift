import GRDB

/// How a request names a container instance: its ID, or its full ARN (new format
/// `container-instance/CLUSTER/ID` or old `container-instance/ID`).
enum ContainerInstanceReference {
    /// The instance ID `text` names within `cluster`, or nil if it cannot name an instance of
    /// that cluster (an ARN of another cluster, region, account or kind).
    static func id(_ text: String, cluster: String, _ context: ECSRequestContext) -> String? {
        guard ECSARN.looksLikeARN(text) else { return text.isEmpty || text.contains("/") ? nil : text }
        guard let arn = ECSARN(parsing: text), context.owns(arn),
              case .containerInstance(let arnCluster, let id) = arn.resource,
              arnCluster == nil || arnCluster == cluster
        else { return nil }
        return id
    }

    /// The instance `text` names in `cluster`, whatever its status.
    static func find(_ db: Database, _ text: String, cluster: String, _ context: ECSRequestContext) throws -> ContainerInstanceRecord? {
        guard let id = id(text, cluster: cluster, context) else { return nil }
        return try ContainerInstanceRecord.find(db, cluster: cluster, id: id)
    }

    /// The ARN a failure reports for `text`.
    static func failureARN(_ text: String, cluster: String, _ context: ECSRequestContext) -> String {
        if ECSARN.looksLikeARN(text) { return text }
        return context.arn(.containerInstance(cluster: cluster, id: text)).description
    }
}
