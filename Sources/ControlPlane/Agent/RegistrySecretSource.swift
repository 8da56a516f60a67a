/// Where the agent reads the secrets a container's `repositoryCredentials` name: Wharf's
/// Secrets Manager in `wharf serve`. The control plane does not know how secrets are stored.
public protocol RegistrySecretSource: Sendable {
    /// The current SecretString of `secretID` (a secret name or ARN).
    func secretString(_ secretID: String) throws(RegistrySecretUnavailable) -> String
}

/// Why a secret could not be read, in the store's words (e.g.
/// `ResourceNotFoundException: Secrets Manager can't find the specified secret.`).
public struct RegistrySecretUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
