import AWSProtocol

extension SecretsManagerAPI {
    /// Every operation this API serves, by name. ``operations`` and the router's routes are
    /// derived from it, so they cannot drift apart.
    static let handlers: [String: AWSJSONRouter.MemberHandler<SecretsManagerAPI>] = [
        "CreateSecret": { api, members, region throws(AWSServiceError) in try api.createSecret(members, region: region) },
        "GetSecretValue": { api, members, _ throws(AWSServiceError) in try api.getSecretValue(members) },
        "PutSecretValue": { api, members, _ throws(AWSServiceError) in try api.putSecretValue(members) },
        "DescribeSecret": { api, members, _ throws(AWSServiceError) in try api.describeSecret(members) },
        "ListSecrets": { api, members, _ throws(AWSServiceError) in try api.listSecrets(members) },
        "DeleteSecret": { api, members, region throws(AWSServiceError) in try api.deleteSecret(members, region: region) },
    ]
}
