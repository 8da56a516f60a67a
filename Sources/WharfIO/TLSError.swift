#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A TLS failure, naming the step (and the OpenSSL function where it helps) and carrying
/// OpenSSL's error text (`ERR_error_string_n` of the thread's error queue, oldest first).
public enum TLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A server context was asked for with no certificate.
    case noCertificates
    /// Creating a context failed (`SSL_CTX_new`, `RAND_bytes`, ...).
    case createContext(function: String, openSSL: String)
    /// A context setting was refused; `setting` names the OpenSSL call.
    case configureContext(setting: String, openSSL: String)
    /// `SSL_CTX_use_certificate_chain_file` failed for the PEM file at `path`.
    case loadCertificate(path: String, openSSL: String)
    /// `SSL_CTX_use_PrivateKey_file` failed for the PEM file at `path`.
    case loadPrivateKey(path: String, openSSL: String)
    /// `SSL_CTX_check_private_key`: the key does not belong to the certificate.
    case privateKeyMismatch(certificatePath: String, privateKeyPath: String, openSSL: String)
    /// `SSL_CTX_load_verify_locations` failed for the CA file at `path`.
    case loadCertificateAuthorities(path: String, openSSL: String)
    /// Creating the connection's `SSL` or BIO failed (`SSL_new`, `BIO_new`, `SSL_set_session`, ...).
    case createConnection(function: String, openSSL: String)
    /// The handshake failed; `errno` is set when the socket failed (0 otherwise).
    case handshake(openSSL: String, errno: Int32)
    /// `SSL_read_ex` failed.
    case read(openSSL: String, errno: Int32)
    /// `SSL_write_ex` failed.
    case write(openSSL: String, errno: Int32)
    /// `SSL_shutdown` failed.
    case shutdown(openSSL: String, errno: Int32)

    public var description: String {
        switch self {
        case .noCertificates:
            return "create TLS server context: no certificate given"
        case .createContext(let function, let openSSL):
            return "create TLS context: \(function): \(openSSL)"
        case .configureContext(let setting, let openSSL):
            return "configure TLS context: \(setting): \(openSSL)"
        case .loadCertificate(let path, let openSSL):
            return "load certificate chain \(path): SSL_CTX_use_certificate_chain_file: \(openSSL)"
        case .loadPrivateKey(let path, let openSSL):
            return "load private key \(path): SSL_CTX_use_PrivateKey_file: \(openSSL)"
        case .privateKeyMismatch(let certificatePath, let privateKeyPath, let openSSL):
            return "check private key \(privateKeyPath) against \(certificatePath): SSL_CTX_check_private_key: \(openSSL)"
        case .loadCertificateAuthorities(let path, let openSSL):
            return "load CA file \(path): SSL_CTX_load_verify_locations: \(openSSL)"
        case .createConnection(let function, let openSSL):
            return "create TLS connection: \(function): \(openSSL)"
        case .handshake(let openSSL, let code):
            return "TLS handshake: SSL_do_handshake: \(Self.detail(openSSL, code))"
        case .read(let openSSL, let code):
            return "TLS read: SSL_read_ex: \(Self.detail(openSSL, code))"
        case .write(let openSSL, let code):
            return "TLS write: SSL_write_ex: \(Self.detail(openSSL, code))"
        case .shutdown(let openSSL, let code):
            return "TLS shutdown: SSL_shutdown: \(Self.detail(openSSL, code))"
        }
    }

    private static func detail(_ openSSL: String, _ code: Int32) -> String {
        code == 0 ? openSSL : "\(openSSL); socket: \(IOError.reason(code))"
    }
}
