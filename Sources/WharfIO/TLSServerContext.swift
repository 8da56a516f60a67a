import Synchronization

/// The server side of TLS for one listener: certificates chosen by SNI, ALPN, session
/// resumption, and certificate reload without a restart.
///
/// Defaults: TLS 1.2 and 1.3 only; TLS 1.2 with ECDHE + AEAD suites only, TLS 1.3 with
/// OpenSSL's suites; no compression, no renegotiation; a server-side session cache
/// (`TLSServerSettings.sessionCacheSize` entries) and session tickets whose keys live as long
/// as this object (so tickets survive reloads); partial writes, moving write buffers, and
/// record buffers released while a connection is idle.
///
/// Certificates: each may hold several names (subjectAltName DNS names, or the CN when it has
/// none), exact or `*.` wildcards. A client's SNI picks the certificate that claims the name
/// (exact before wildcard, earlier certificate first); no SNI or an unknown name gets the
/// first certificate.
///
/// Thread-safe: loops on many threads create connections while another thread reloads. The
/// current certificate generation sits behind a mutex taken once per connection, in
/// `TLSStream.init`, never per read or write.
public final class TLSServerContext: Sendable {
    /// The ALPN list used when none is given.
    public static let defaultALPN = ["http/1.1"]

    private let settings: TLSServerSettings
    private let current: Mutex<TLSCertificateSet>

    /// Loads `certificates` (the first is the default).
    ///
    /// - Parameters:
    ///   - alpn: protocols to select, in preference order, when the client offers them.
    ///   - releaseIdleBuffers: free each connection's ~34 KB of record buffers while it is
    ///     idle (`SSL_MODE_RELEASE_BUFFERS`). This keeps 10,000 idle connections small, at the
    ///     price of OpenSSL allocating the buffers again when the connection next moves data.
    public init(
        certificates: [TLSCertificateSource], alpn: [String] = TLSServerContext.defaultALPN, releaseIdleBuffers: Bool = true
    ) throws(TLSError) {
        settings = try TLSServerSettings(alpn: alpn, releaseIdleBuffers: releaseIdleBuffers)
        current = Mutex(try TLSCertificateSet(certificates: certificates, settings: settings))
    }

    /// Replaces the certificates for connections created from now on. Connections already
    /// created keep the certificates they started with. When any certificate fails to load,
    /// this throws and the current certificates stay in use. Safe from any thread.
    public func reload(certificates: [TLSCertificateSource]) throws(TLSError) {
        let next = try TLSCertificateSet(certificates: certificates, settings: settings)
        current.withLock { $0 = next }
    }

    /// The names each current certificate answers to, in certificate order (lowercased
    /// subjectAltName DNS names, or the CN).
    public var serverNames: [[String]] {
        current.withLock { $0.names }
    }

    /// The generation new connections use.
    func currentCertificateSet() -> TLSCertificateSet {
        current.withLock { $0 }
    }
}
