import COpenSSL

/// The client side of TLS: for health checks of HTTPS targets, registry pulls and tests.
///
/// `@unchecked Sendable`: the `SSL_CTX` is configured in `init` and only read afterwards, which
/// OpenSSL allows from many threads.
public final class TLSClientContext: @unchecked Sendable {
    let raw: OpaquePointer
    /// Whether connections verify the server's certificate chain and name.
    public let verifyPeer: Bool

    /// - Parameters:
    ///   - verifyPeer: verify the server's chain (against `caFile`, or the system's CAs when
    ///     nil) and its name (the `serverName` of each `TLSStream`).
    ///   - caFile: PEM file of trusted certificates.
    ///   - alpn: protocols to offer, in preference order (none: no ALPN extension).
    ///   - minimumVersion, maximumVersion: the versions to offer.
    ///   - additionalCAFiles: PEM files trusted on top of `caFile` (or the system's CAs), such
    ///     as a private registry's CA.
    public init(
        verifyPeer: Bool, caFile: String? = nil, alpn: [String] = [],
        minimumVersion: TLSVersion = .tls12, maximumVersion: TLSVersion = .tls13,
        additionalCAFiles: [String] = []
    ) throws(TLSError) {
        guard let method = TLS_client_method(), let context = SSL_CTX_new(method) else {
            throw .createContext(function: "SSL_CTX_new", openSSL: OpenSSLErrorQueue.drain())
        }
        raw = context
        self.verifyPeer = verifyPeer
        // From here `deinit` frees the context if a step throws.
        func require(_ succeeded: Bool, _ setting: String) throws(TLSError) {
            if !succeeded { throw .configureContext(setting: setting, openSSL: OpenSSLErrorQueue.drain()) }
        }
        try require(wharf_SSL_CTX_set_min_proto_version(context, minimumVersion.openSSLValue) == 1, "SSL_CTX_set_min_proto_version")
        try require(wharf_SSL_CTX_set_max_proto_version(context, maximumVersion.openSSLValue) == 1, "SSL_CTX_set_max_proto_version")
        _ = SSL_CTX_set_options(context, WHARF_SSL_OP_NO_COMPRESSION | WHARF_SSL_OP_IGNORE_UNEXPECTED_EOF)
        _ = wharf_SSL_CTX_set_mode(
            context, WHARF_SSL_MODE_ENABLE_PARTIAL_WRITE | WHARF_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | WHARF_SSL_MODE_RELEASE_BUFFERS)
        if !alpn.isEmpty {
            guard let wire = ALPN.wireFormat(alpn) else {
                throw .configureContext(setting: "ALPN protocol list", openSSL: "each protocol name must be 1 to 255 bytes")
            }
            // SSL_CTX_set_alpn_protos returns 0 on success.
            let failed = wire.withUnsafeBufferPointer { SSL_CTX_set_alpn_protos(context, $0.baseAddress, UInt32($0.count)) }
            try require(failed == 0, "SSL_CTX_set_alpn_protos")
        }
        if verifyPeer {
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
            if let caFile {
                guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                    throw .loadCertificateAuthorities(path: caFile, openSSL: OpenSSLErrorQueue.drain())
                }
            } else {
                try require(SSL_CTX_set_default_verify_paths(context) == 1, "SSL_CTX_set_default_verify_paths")
            }
            for file in additionalCAFiles {
                guard SSL_CTX_load_verify_locations(context, file, nil) == 1 else {
                    throw .loadCertificateAuthorities(path: file, openSSL: OpenSSLErrorQueue.drain())
                }
            }
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
    }

    deinit { SSL_CTX_free(raw) }
}
