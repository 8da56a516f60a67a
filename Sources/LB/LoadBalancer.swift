import CLibev
import COpenSSL

/// Wharf's layer-7 load balancer: listeners, rules and target groups on libev event loops with
/// TLS from OpenSSL.
///
/// The engine itself is built in its own issue; this module already links both libraries so
/// the package's shape (and the system packages it needs) are fixed from the start.
public enum LoadBalancer {
    /// The versions of the event and TLS libraries the engine runs on, e.g. `libev 4.33, OpenSSL 3.0.19 ...`.
    public static var libraryVersions: String {
        let openssl = OpenSSL_version(OPENSSL_VERSION).map { String(cString: $0) } ?? "OpenSSL (unknown)"
        return "libev \(ev_version_major()).\(ev_version_minor()), \(openssl)"
    }
}
