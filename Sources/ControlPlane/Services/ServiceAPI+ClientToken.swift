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
    static func service(_ db: Database, createdWith token: ServiceCreationToken, clusterName: String) throws -> ServiceRecord? {
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

    /// The request's `clientToken` (1 to 36 ASCII characters 33-126) with the rest of the
    /// request as canonical JSON, which a retry under the same token must match. Only the
    /// members Wharf models take part (`CreateServiceRequest`); others are ignored anyway.
    static func creationToken(of request: CreateServiceRequest) throws(ECSError) -> ServiceCreationToken? {
        guard let token = try RequestValidation.clientToken(request.clientToken, maxLength: ServiceValidation.maxClientTokenLength)
        else { return nil }
        var parameters = request
        parameters.clientToken = nil
        return ServiceCreationToken(token: token, request: String(decoding: try ECSJSONCoding.encode(parameters), as: UTF8.self))
    }
}
