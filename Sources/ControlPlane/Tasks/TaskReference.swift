import GRDB

/// How a request names a task: its ID, or its ARN (`task/CLUSTER/ID`, or the old `task/ID`).
enum TaskReference {
    /// The task ID `text` names within `cluster`, or nil if it cannot name a task of that
    /// cluster (an ARN of another cluster, region, account or kind).
    static func id(_ text: String, cluster: String, _ context: ECSRequestContext) -> String? {
        guard ECSARN.looksLikeARN(text) else { return text.isEmpty || text.contains("/") ? nil : text }
        guard let arn = ECSARN(parsing: text), context.owns(arn),
              case .task(let arnCluster, let id) = arn.resource,
              arnCluster == nil || arnCluster == cluster
        else { return nil }
        return id
    }

    /// The task `text` names in `cluster`.
    static func find(_ db: Database, _ text: String, cluster: String, _ context: ECSRequestContext) throws -> TaskRecord? {
        guard let id = id(text, cluster: cluster, context),
              let record = try TaskRecord.fetch(db, id: id), record.clusterName == cluster
        else { return nil }
        return record
    }

    /// The ARN a failure reports for `text`.
    static func failureARN(_ text: String, cluster: String, _ context: ECSRequestContext) -> String {
        if ECSARN.looksLikeARN(text) { return text }
        return context.arn(.task(cluster: cluster, id: text)).description
    }
}
