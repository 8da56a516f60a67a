import AWSProtocol
import Foundation

extension SecretsStore {
    /// The SecretString of the AWSCURRENT version of `secretID` (a name, full ARN or partial
    /// ARN), as GetSecretValue returns it: what ECS's agent reads for a container's
    /// `repositoryCredentials`. A secret that holds only SecretBinary has no string to give.
    public func currentSecretString(_ secretID: String, now: Date = Date()) throws(SecretValueUnavailable) -> String {
        let unavailable = { (error: AWSServiceError) in
            SecretValueUnavailable(secretID: secretID, exception: error.type, message: error.message)
        }
        do {
            return try transaction(now: now.timeIntervalSince1970) { store in
                let secret = try store.secret(id: secretID)
                guard !secret.isMarkedForDeletion else { throw SecretsManagerError.markedForDeletion }
                guard let version = secret.version(stage: SecretRecord.currentStage) else {
                    throw SecretsManagerError.valueNotFound("staging label: \(SecretRecord.currentStage)")
                }
                guard let string = version.secretString else {
                    throw SecretsManagerError.invalidRequest("The secret holds SecretBinary, not SecretString.")
                }
                return string
            }
        } catch {
            throw unavailable(SecretsManagerError.from(error))
        }
    }
}
