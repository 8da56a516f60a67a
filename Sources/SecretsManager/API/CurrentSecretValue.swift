import AWSProtocol
import Foundation

extension SecretsStore {
    /// The SecretString of the AWSCURRENT version of `secretID` (a name, full ARN or partial
    /// ARN), as GetSecretValue returns it: what ECS's agent reads for a container's
    /// `repositoryCredentials`. Refused with the exception GetSecretValue would answer (its
    /// description is `Type: message`); a secret that holds only SecretBinary has no string to
    /// give (InvalidRequestException).
    public func currentSecretString(_ secretID: String, now: Date = Date()) throws(AWSServiceError) -> String {
        do {
            return try transaction(now: now.timeIntervalSince1970) { store in
                guard let string = try store.stagedVersion(id: secretID).version.secretString else {
                    throw SecretsManagerError.invalidRequest("The secret holds SecretBinary, not SecretString.")
                }
                return string
            }
        } catch {
            throw SecretsManagerError.from(error)
        }
    }
}
