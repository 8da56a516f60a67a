import GRDB

/// CreateService's client token (ECS's "Ensuring idempotency": tokens are scoped to a cluster).
extension ECSAPI {
    /// ECS's answer to a CreateService that would clash with a live service: one of the name, or
    /// one created with the same client token and other parameters.
    static let serviceCreationNotIdempotent = ECSError(.invalidParameterException, "Creation of service was not idempotent.")

    /// The ACTIVE service of `clusterName` an earlier CreateService with `token` created, when
    /// this request is its retry (same parameters, name included); nil when no live service of
    /// the cluster was created with the token. Throws ``serviceCreationNotIdempotent`` when the
    /// token came with other parameters, or its service is being deleted (DRAINING).
    static func service(_ db: Database, createdWith token: ClientToken, clusterName: String) throws -> ServiceRecord? {
        let live = try ServiceRecord
            .filter(Column("clusterName") == clusterName && Column("status") != ECSServiceStatus.inactive)
            .fetchAll(db)
        for record in live {
            guard let earlier = ServiceDocument.decode(record.document).creationToken, earlier.token == token.token else { continue }
            guard earlier == token, record.status == .active else { throw serviceCreationNotIdempotent }
            return record
        }
        return nil
    }
}
