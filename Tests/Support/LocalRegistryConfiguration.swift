import Foundation

extension LocalRegistry {
    /// A user name and password, for htpasswd users and for pushing.
    public struct Credentials: Sendable, Equatable {
        public let username: String
        public let password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// How the registry authenticates clients.
    public enum Authentication: Sendable {
        /// Anyone may pull and push.
        case none
        /// HTTP basic authentication against an htpasswd file made from `users`
        /// (user name -> password, bcrypt-hashed with `htpasswd -B`).
        case htpasswd(users: [String: String])
        /// Bearer tokens from a token service at `realm`, signed by the certificate in
        /// `rootCertificateBundle` (docker-registry's `auth.token` section).
        case token(realm: String, service: String, issuer: String, rootCertificateBundle: String)
    }

    /// What kind of registry to start.
    public struct Configuration: Sendable {
        /// HTTPS with a server certificate for 127.0.0.1 signed by a CA made for the registry
        /// (`LocalRegistry.caFile`); plain HTTP otherwise.
        public var tls: Bool
        public var authentication: Authentication

        public init(tls: Bool = false, authentication: Authentication = .none) {
            self.tls = tls
            self.authentication = authentication
        }

        /// The programs starting, probing and pushing to such a registry runs.
        public var requiredTools: [String] {
            var tools = [LocalRegistry.setpriv, LocalRegistry.dockerRegistry, LocalRegistry.curl, LocalRegistry.skopeo]
            if tls { tools.append(LoopbackCertificates.openssl) }
            if case .htpasswd = authentication { tools.append(LocalRegistry.htpasswd) }
            return tools
        }

        /// The tools of `requiredTools` that are not installed (`scripts/setup.sh` installs them).
        public var missingTools: [String] {
            requiredTools.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        }

        /// docker-registry's `config.yml` for a registry on `port` keeping its data in
        /// `storage`; `certificates` with `tls`, `htpasswdFile` with `.htpasswd`.
        func document(port: Int, storage: String, certificates: LoopbackCertificates?, htpasswdFile: String) -> String {
            var lines = [
                "version: 0.1",
                "log: {level: error, accesslog: {disabled: true}}",
                "storage:",
                "  filesystem: {rootdirectory: \(storage)}",
                "  delete: {enabled: true}",
                "http:",
                "  addr: 127.0.0.1:\(port)",
            ]
            if let certificates {
                lines.append("  tls: {certificate: \(certificates.certificateFile), key: \(certificates.keyFile)}")
            }
            switch authentication {
            case .none:
                break
            case .htpasswd:
                lines += ["auth:", "  htpasswd: {realm: wharf-test, path: \(htpasswdFile)}"]
            case let .token(realm, service, issuer, rootCertificateBundle):
                lines += [
                    "auth:",
                    "  token: {realm: \"\(realm)\", service: \(service), issuer: \(issuer),"
                        + " rootcertbundle: \(rootCertificateBundle)}",
                ]
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
