import Foundation

/// A user name and password (or token) for a registry's basic or token authentication: a
/// task definition's `repositoryCredentials`, or what a per-registry credentials file holds.
public struct RegistryCredentials: Sendable, Equatable, Codable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// `Basic base64(user:password)`.
    var basicAuthorization: String {
        "Basic " + Data((username + ":" + password).utf8).base64EncodedString()
    }

    /// Reads a credentials file: JSON `{"username": "...", "password": "..."}`. The file is
    /// read on every pull, so a token that is rotated (as ECR's are) needs no restart.
    public static func load(path: String) throws(RegistryError) -> RegistryCredentials {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration(path: path, detail: "cannot read credentials file")
        }
        do { return try JSONDecoder().decode(RegistryCredentials.self, from: data) } catch {
            throw .configuration(path: path, detail: "expected {\"username\": ..., \"password\": ...}: \(error)")
        }
    }
}
