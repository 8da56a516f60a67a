/// Where one server certificate and its key live: PEM files, the chain file holding the leaf
/// certificate first and then its intermediates.
public struct TLSCertificateSource: Sendable, Hashable {
    /// The PEM certificate chain (leaf first).
    public var certificatePath: String
    /// The PEM private key of the leaf certificate.
    public var privateKeyPath: String

    public init(certificatePath: String, privateKeyPath: String) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }
}
