import GRDB

/// The `cluster` member of a request: a short name or a full ARN, `default` when absent.
enum ClusterReference {
    /// The cluster ECS assumes when a request names none.
    static let defaultName = "default"

    /// The cluster name `text` refers to, or nil if it cannot refer to any cluster of this
    /// account and region (an ARN of another kind, region or account, or a malformed one).
    static func name(_ text: String?, _ context: ECSRequestContext) -> String? {
        guard let text, !text.isEmpty else { return defaultName }
        guard ECSARN.looksLikeARN(text) else { return text }
        guard let arn = ECSARN(parsing: text), context.owns(arn), case .cluster(let name) = arn.resource else {
            return nil
        }
        return name
    }

    /// The ARN a failure names for the cluster reference `text` (ECS reports the full ARN even
    /// when given a short name).
    static func failureARN(_ text: String, _ context: ECSRequestContext) -> String {
        if ECSARN.looksLikeARN(text) { return text }
        return context.arn(.cluster(name: text)).description
    }

    /// The cluster `text` refers to, in any status; ClusterNotFoundException if there is none.
    static func existing(_ db: Database, _ text: String?, _ context: ECSRequestContext) throws -> ClusterRecord {
        guard let name = name(text, context), let record = try ClusterRecord.find(db, name: name) else {
            throw ECSError.clusterNotFound
        }
        return record
    }

    /// The name of the cluster `text` refers to, in any status; ClusterNotFoundException if
    /// there is none. (``existing(_:_:_:)`` without reading the rest of the row.)
    static func existingName(_ db: Database, _ text: String?, _ context: ECSRequestContext) throws -> String {
        guard let name = name(text, context), try ClusterRecord.status(db, name: name) != nil else {
            throw ECSError.clusterNotFound
        }
        return name
    }

    /// The name of the ACTIVE cluster `text` refers to, with the errors of
    /// ``active(_:_:_:)`` (without reading the rest of the row).
    static func activeName(_ db: Database, _ text: String?, _ context: ECSRequestContext) throws -> String {
        guard let name = name(text, context), let status = try ClusterRecord.status(db, name: name) else {
            throw ECSError.clusterNotFound
        }
        guard status == .active else { throw ECSError.clusterInactive }
        return name
    }

    /// The ACTIVE cluster `text` refers to; ClusterNotFoundException if there is none or it was
    /// deleted ("The referenced cluster was inactive.").
    static func active(_ db: Database, _ text: String?, _ context: ECSRequestContext) throws -> ClusterRecord {
        let record = try existing(db, text, context)
        guard record.status == .active else { throw ECSError.clusterInactive }
        return record
    }
}
