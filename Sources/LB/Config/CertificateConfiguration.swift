/// A certificate chain and its private key, both PEM files.
public struct CertificateConfiguration: Sendable, Equatable {
    /// Path of the PEM certificate chain (leaf first).
    public var certificate: String
    /// Path of the PEM private key.
    public var privateKey: String

    public init(certificate: String, privateKey: String) {
        self.certificate = certificate
        self.privateKey = privateKey
    }
}
