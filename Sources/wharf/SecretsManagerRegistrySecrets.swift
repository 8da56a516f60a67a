import ControlPlane
import SecretsManager

/// The agent's ``ControlPlane/RegistrySecretSource`` on Wharf's Secrets Manager store: a
/// container's `repositoryCredentials` name a secret created with `aws secretsmanager`.
struct SecretsManagerRegistrySecrets: RegistrySecretSource {
    let store: SecretsStore

    func secretString(_ secretID: String) throws(RegistrySecretUnavailable) -> String {
        do {
            return try store.currentSecretString(secretID)
        } catch {
            throw RegistrySecretUnavailable(reason: error.description)
        }
    }
}
