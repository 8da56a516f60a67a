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
}
