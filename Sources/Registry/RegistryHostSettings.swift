import Foundation

/// How to reach one registry host.
public struct RegistryHostSettings: Sendable, Equatable, Codable {
    /// Plain HTTP instead of HTTPS. Only for registries explicitly listed so.
    public var insecure: Bool
    /// Extra CA certificates (PEM files) trusted for this registry, on top of the system store.
    public var caFiles: [String]
    /// A JSON credentials file (`RegistryCredentials.load`), re-read on every pull.
    public var credentialsFile: String?

    public init(insecure: Bool = false, caFiles: [String] = [], credentialsFile: String? = nil) {
        self.insecure = insecure
        self.caFiles = caFiles
        self.credentialsFile = credentialsFile
    }

    enum CodingKeys: String, CodingKey { case insecure, caFiles, credentialsFile }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        insecure = try container.decodeIfPresent(Bool.self, forKey: .insecure) ?? false
        caFiles = try container.decodeIfPresent([String].self, forKey: .caFiles) ?? []
        credentialsFile = try container.decodeIfPresent(String.self, forKey: .credentialsFile)
    }
}

/// Settings for every registry Wharf pulls from, keyed by host (`host[:port]`, as written
/// in image references; `docker.io` for Docker Hub). A host not listed is reached over
/// HTTPS with the system CA store and anonymous or per-task credentials.
///
/// File form (`RegistryConfiguration.load`):
/// ```json
/// {"registries": {"127.0.0.1:5000": {"insecure": true},
///                 "registry.example.com": {"caFiles": ["/etc/wharf/ca.pem"], "credentialsFile": "/etc/wharf/example.json"}}}
/// ```
public struct RegistryConfiguration: Sendable, Equatable, Codable {
    public var registries: [String: RegistryHostSettings]

    public init(registries: [String: RegistryHostSettings] = [:]) {
        self.registries = registries
    }

    /// The settings for `host` (defaults when it is not listed).
    public func settings(for host: String) -> RegistryHostSettings {
        registries[host] ?? RegistryHostSettings()
    }

    /// Reads the configuration file. A missing file means no registry is configured, unless
    /// `required` (the file was named explicitly, so a missing one is a mistake to report).
    public static func load(path: String, required: Bool = false) throws(RegistryError) -> RegistryConfiguration {
        guard FileManager.default.fileExists(atPath: path) else {
            if required { throw .configuration(path: path, detail: "no such file") }
            return RegistryConfiguration()
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration(path: path, detail: "cannot read file")
        }
        do { return try JSONDecoder().decode(RegistryConfiguration.self, from: data) } catch {
            throw .configuration(path: path, detail: "\(error)")
        }
    }
}
