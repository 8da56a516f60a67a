import Foundation
import Registry

/// Turns the `repositoryCredentials` of a task's containers into the credentials each image is
/// pulled with, as ECS's agent does before pulling: the secret named by `credentialsParameter`
/// must hold `{"username": ..., "password": ...}` as its SecretString.
struct RepositoryCredentialsResolver: Sendable {
    /// Why a task's registry credentials could not be had; the task stops with ``stoppedReason``.
    enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The host has no secret store to read from.
        case noSecretStore(secretID: String)
        /// The secret could not be read (missing, marked for deletion, no current value).
        case unavailable(secretID: String, reason: String)
        /// The secret's value is not `{"username","password"}` JSON.
        case malformed(secretID: String)

        var description: String {
            switch self {
            case .noSecretStore(let id): "no secret store is configured to read secret \(id) from"
            case .unavailable(let id, let reason): "unable to retrieve secret \(id) from secrets manager: \(reason)"
            case .malformed(let id):
                "secret \(id) is not a JSON object with string members \"username\" and \"password\""
            }
        }

        /// ECS's stopped reason for a task whose registry authentication could not be resolved.
        var stoppedReason: String {
            "ResourceInitializationError: unable to pull secrets or registry auth: \(description)"
        }
    }

    let source: (any RegistrySecretSource)?

    /// The credentials per image of `definition`'s containers that have `repositoryCredentials`
    /// (each secret read once); images without them are absent.
    func credentials(for definition: TaskDefinition) throws(Failure) -> [String: RegistryCredentials] {
        var byImage: [String: RegistryCredentials] = [:]
        var bySecret: [String: RegistryCredentials] = [:]
        for container in definition.containerDefinitions ?? [] {
            guard let secretID = container.repositoryCredentials?.credentialsParameter, let image = container.image,
                  byImage[image] == nil
            else { continue }
            if let known = bySecret[secretID] {
                byImage[image] = known
                continue
            }
            let credentials = try read(secretID)
            bySecret[secretID] = credentials
            byImage[image] = credentials
        }
        return byImage
    }

    private func read(_ secretID: String) throws(Failure) -> RegistryCredentials {
        guard let source else { throw .noSecretStore(secretID: secretID) }
        let text: String
        do {
            text = try source.secretString(secretID)
        } catch {
            throw .unavailable(secretID: secretID, reason: error.reason)
        }
        guard let credentials = try? JSONDecoder().decode(RegistryCredentials.self, from: Data(text.utf8)) else {
            throw .malformed(secretID: secretID)
        }
        return credentials
    }
}
