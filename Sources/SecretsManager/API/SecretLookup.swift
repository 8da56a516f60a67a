import AWSProtocol

extension SecretsTransaction {
    /// The secret a `SecretId` names: its name, its full ARN, or its ARN without the six random
    /// characters (AWS's "partial ARN"). ResourceNotFoundException when there is none.
    func secret(id: String) throws -> SecretRecord {
        if let resource = SecretARN.resource(of: id) {
            if let secret = try secret(arn: id) { return secret }
            if let secret = try secret(named: resource), secret.arn.hasPrefix(id + "-"),
               secret.arn.count == id.count + 1 + SecretARN.suffixLength {
                return secret
            }
            throw SecretsManagerError.secretNotFound
        }
        guard let secret = try secret(named: id) else { throw SecretsManagerError.secretNotFound }
        return secret
    }

    /// The secret `id` names, or nil when there is none (``secret(id:)`` without the error).
    func secretIfAny(id: String) throws -> SecretRecord? {
        do {
            return try secret(id: id)
        } catch let error as AWSServiceError where error.type == SecretsManagerError.secretNotFound.type {
            return nil
        }
    }

    /// The secret `id` names, if its value may be read or changed: an InvalidRequestException
    /// when it is marked for deletion, as GetSecretValue and PutSecretValue answer.
    func liveSecret(id: String) throws -> SecretRecord {
        let secret = try secret(id: id)
        guard !secret.isMarkedForDeletion else { throw SecretsManagerError.markedForDeletion }
        return secret
    }

    /// The version of the secret `id` names that carries `stage` (AWSCURRENT unless told), as
    /// GetSecretValue finds it without a VersionId: ResourceNotFoundException when no version
    /// carries it.
    func stagedVersion(id: String, stage: String = SecretRecord.currentStage) throws
        -> (secret: SecretRecord, version: SecretVersion)
    {
        let secret = try liveSecret(id: id)
        guard let version = secret.version(stage: stage) else {
            throw SecretsManagerError.valueNotFound("staging label: \(stage)")
        }
        return (secret, version)
    }
}
