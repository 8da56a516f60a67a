import GRDB

/// Finds services by name or ARN (`arn:aws:ecs:R:A:service/CLUSTER/NAME`, or the old
/// `service/NAME` form) within a cluster.
enum ServiceReference {
    /// The service name `text` designates, or nil for an ARN of another cluster, region or
    /// account (a service that does not exist here).
    static func name(_ text: String, cluster: String, _ context: ECSRequestContext) -> String? {
        guard text.hasPrefix("arn:") else { return text }
        guard let arn = ECSARN(parsing: text), context.owns(arn), case .service(let arnCluster, let name) = arn.resource else {
            return nil
        }
        if let arnCluster, arnCluster != cluster { return nil }
        return name
    }

    /// The service row, whatever its status.
    static func find(_ db: Database, _ text: String, cluster: String, _ context: ECSRequestContext) throws -> ServiceRecord? {
        guard let name = name(text, cluster: cluster, context) else { return nil }
        return try ServiceRecord
            .filter(Column("clusterName") == cluster && Column("name") == name)
            .fetchOne(db)
    }

    /// The ACTIVE service `text` designates, for an operation that changes it: ECS's
    /// ServiceNotFoundException when there is none, ServiceNotActiveException when it is draining
    /// or inactive.
    static func active(_ db: Database, _ text: String, cluster: String, _ context: ECSRequestContext) throws -> ServiceRecord {
        guard let record = try find(db, text, cluster: cluster, context) else {
            throw ECSError(.serviceNotFoundException, "Service not found.")
        }
        guard record.status == .active else {
            throw ECSError(.serviceNotActiveException, "Service was not ACTIVE.")
        }
        return record
    }

    /// The ARN reported in a `MISSING` failure.
    static func failureARN(_ text: String, cluster: String, _ context: ECSRequestContext) -> String {
        text.hasPrefix("arn:") ? text : context.arn(.service(cluster: cluster, name: text)).description
    }
}
