import GRDB

/// The resource a tagging request names by ARN, resolved to the ARN its tags are stored under.
enum TagTarget {
    /// Resolves `text` to a stored resource: a cluster, task definition revision, container
    /// instance, task or service of this account and region. `forUpdate`: the resource must be
    /// one that can still change (an ACTIVE cluster, a registered instance).
    ///
    /// Errors: a malformed ARN, or a short-format task/service/container instance ARN, is
    /// InvalidParameterException (ECS: "Long arn format must be used for tagging operations");
    /// a missing cluster is ClusterNotFoundException; anything else missing is
    /// ResourceNotFoundException.
    static func resolve(_ db: Database, _ text: String, _ context: ECSRequestContext, forUpdate: Bool) throws -> String {
        guard let arn = ECSARN(parsing: text) else {
            throw ECSError(.invalidParameterException, "The resourceArn \(text) is not a valid ECS ARN.")
        }
        let notFound = ECSError(.resourceNotFoundException, "The specified resource wasn't found.")
        guard context.owns(arn) else { throw notFound }
        func cluster(_ name: String) throws -> ClusterRecord {
            guard let record = try ClusterRecord.find(db, name: name) else { throw ECSError.clusterNotFound }
            if forUpdate, record.status != .active { throw ECSError.clusterInactive }
            return record
        }
        let longFormat = ECSError(.invalidParameterException, "Long arn format must be used for tagging operations.")
        switch arn.resource {
        case .cluster(let name):
            return try cluster(name).arn
        case .taskDefinition(let family, let revision):
            guard let revision, let record = try TaskDefinitionRecord.find(db, family: family, revision: revision) else {
                throw notFound
            }
            return record.arn
        case .containerInstance(let clusterName, let id):
            guard let clusterName else { throw longFormat }
            _ = try cluster(clusterName)
            guard let record = try ContainerInstanceRecord.find(db, cluster: clusterName, id: id),
                  !forUpdate || record.status != .inactive
            else { throw notFound }
            return record.arn
        case .task(let clusterName, let id):
            guard let clusterName else { throw longFormat }
            _ = try cluster(clusterName)
            guard let record = try TaskRecord.fetch(db, id: id), record.clusterName == clusterName else { throw notFound }
            return record.arn
        case .service(let clusterName, let name):
            guard let clusterName else { throw longFormat }
            _ = try cluster(clusterName)
            guard let record = try ServiceRecord
                .filter(Column("clusterName") == clusterName && Column("name") == name).fetchOne(db)
            else { throw notFound }
            return record.arn
        case .capacityProvider, .taskSet, .serviceDeployment, .serviceRevision:
            // Wharf has neither capacity providers nor task sets; ECS does not tag service
            // deployments or revisions.
            throw notFound
        }
    }
}
