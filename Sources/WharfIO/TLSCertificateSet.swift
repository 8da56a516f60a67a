import COpenSSL

/// One immutable generation of a server's certificates: an `SSL_CTX` per certificate, and the
/// SNI table mapping server names to them. The first context is the default: connections
/// start on it (its session cache and tickets serve every name) and switch to another during
/// the handshake when the client's SNI names one.
///
/// `@unchecked Sendable`: never changed after `init`, and OpenSSL allows `SSL_new` on one
/// `SSL_CTX` from many threads. Streams retain the set they were made from, so a reload frees
/// an old generation only when its last connection is gone.
final class TLSCertificateSet: @unchecked Sendable {
    /// `SSL_CTX*` per certificate, in the order given; the first is the default.
    private(set) var contexts: [OpaquePointer] = []
    /// The names each certificate answers to (lowercased SAN DNS names, or the CN).
    private(set) var names: [[String]] = []
    /// Exact server name -> context index. The first certificate to claim a name keeps it.
    private var exactNames: [String: Int] = [:]
    /// For `*.example.com`: `example.com` -> context index.
    private var wildcardParents: [String: Int] = [:]
    /// The ALPN list, at a stable address for the selection callback.
    let alpnWire: UnsafeMutableBufferPointer<UInt8>

    init(certificates: [TLSCertificateSource], settings: TLSServerSettings) throws(TLSError) {
        alpnWire = .allocate(capacity: settings.alpnWire.count)
        _ = alpnWire.initialize(from: settings.alpnWire)
        guard !certificates.isEmpty else { throw .noCertificates }
        let argument = Unmanaged.passUnretained(self).toOpaque()
        for source in certificates {
            let context = try Self.makeContext(source: source, settings: settings)
            contexts.append(context)
            SSL_CTX_set_alpn_select_cb(context, selectApplicationProtocol, argument)
            guard wharf_SSL_CTX_set_servername_callback(context, selectCertificateForServerName, argument) == 1 else {
                throw .configureContext(setting: "SSL_CTX_set_tlsext_servername_callback", openSSL: OpenSSLErrorQueue.drain())
            }
            let certificateNames = SSL_CTX_get0_certificate(context).map(CertificateNames.serverNames) ?? []
            names.append(certificateNames)
            for name in certificateNames {
                if name.hasPrefix("*.") {
                    let parent = String(name.dropFirst(2))
                    if wildcardParents[parent] == nil { wildcardParents[parent] = contexts.count - 1 }
                } else if exactNames[name] == nil {
                    exactNames[name] = contexts.count - 1
                }
            }
        }
    }

    deinit {
        for context in contexts { SSL_CTX_free(context) }
        alpnWire.deallocate()
    }

    /// The context new connections start on.
    var defaultContext: OpaquePointer { contexts[0] }

    /// The context for an SNI name: an exact match, else a `*.` wildcard one label up
    /// (`a.example.com` matches `*.example.com`; `example.com` and `a.b.example.com` do not).
    func context(forServerName name: String) -> OpaquePointer? {
        let name = CertificateNames.lowercasedASCII(name)
        if let index = exactNames[name] { return contexts[index] }
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return nil }
        let parent = String(name[name.index(after: dot)...])
        return wildcardParents[parent].map { contexts[$0] }
    }

    /// One server `SSL_CTX`: TLS 1.2-1.3, modern ciphers, the certificate and key, the session
    /// cache and tickets, buffer modes.
    private static func makeContext(source: TLSCertificateSource, settings: TLSServerSettings) throws(TLSError) -> OpaquePointer {
        guard let method = TLS_server_method(), let context = SSL_CTX_new(method) else {
            throw .createContext(function: "SSL_CTX_new", openSSL: OpenSSLErrorQueue.drain())
        }
        do throws(TLSError) {
            try configure(context, source: source, settings: settings)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        return context
    }

    private static func configure(_ context: OpaquePointer, source: TLSCertificateSource, settings: TLSServerSettings) throws(TLSError) {
        func require(_ succeeded: Bool, _ setting: String) throws(TLSError) {
            if !succeeded { throw .configureContext(setting: setting, openSSL: OpenSSLErrorQueue.drain()) }
        }
        try require(wharf_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1, "SSL_CTX_set_min_proto_version")
        try require(wharf_SSL_CTX_set_max_proto_version(context, TLS1_3_VERSION) == 1, "SSL_CTX_set_max_proto_version")
        _ = SSL_CTX_set_options(
            context, WHARF_SSL_OP_NO_COMPRESSION | WHARF_SSL_OP_NO_RENEGOTIATION | WHARF_SSL_OP_IGNORE_UNEXPECTED_EOF)
        var mode = WHARF_SSL_MODE_ENABLE_PARTIAL_WRITE | WHARF_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
        if settings.releaseIdleBuffers { mode |= WHARF_SSL_MODE_RELEASE_BUFFERS }
        _ = wharf_SSL_CTX_set_mode(context, mode)
        // Read-ahead: one recv(2) takes a whole record (and what follows it) rather than one
        // for its 5-byte header and another for its body. Bytes read ahead wait inside OpenSSL,
        // where `TLSStream.hasBufferedBytes` sees them (the socket no longer reports them).
        _ = SSL_CTX_ctrl(context, SSL_CTRL_SET_READ_AHEAD, 1, nil)
        try require(SSL_CTX_set_cipher_list(context, TLSServerSettings.tls12CipherList) == 1, "SSL_CTX_set_cipher_list")

        guard SSL_CTX_use_certificate_chain_file(context, source.certificatePath) == 1 else {
            throw .loadCertificate(path: source.certificatePath, openSSL: OpenSSLErrorQueue.drain())
        }
        guard SSL_CTX_use_PrivateKey_file(context, source.privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            throw .loadPrivateKey(path: source.privateKeyPath, openSSL: OpenSSLErrorQueue.drain())
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw .privateKeyMismatch(
                certificatePath: source.certificatePath, privateKeyPath: source.privateKeyPath, openSSL: OpenSSLErrorQueue.drain())
        }

        let sessionIDSet = TLSServerSettings.sessionIDContext.withUnsafeBufferPointer {
            SSL_CTX_set_session_id_context(context, $0.baseAddress, UInt32($0.count))
        }
        try require(sessionIDSet == 1, "SSL_CTX_set_session_id_context")
        _ = wharf_SSL_CTX_set_session_cache_mode(context, Int(SSL_SESS_CACHE_SERVER))
        _ = wharf_SSL_CTX_sess_set_cache_size(context, TLSServerSettings.sessionCacheSize)
        _ = SSL_CTX_set_timeout(context, TLSServerSettings.sessionLifetimeSeconds)
        var keys = settings.ticketKeys
        let keysSet = keys.withUnsafeMutableBytes { wharf_SSL_CTX_set_tlsext_ticket_keys(context, $0.baseAddress, $0.count) }
        try require(keysSet == 1, "SSL_CTX_set_tlsext_ticket_keys")
    }
}

/// SNI: moves the connection to the context of the certificate for the name the client sent.
/// An unknown name (or none) keeps the default certificate.
private func selectCertificateForServerName(
    _ ssl: OpaquePointer?, _ alert: UnsafeMutablePointer<Int32>?, _ argument: UnsafeMutableRawPointer?
) -> Int32 {
    guard let ssl, let argument, let name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) else {
        return SSL_TLSEXT_ERR_OK
    }
    let set = Unmanaged<TLSCertificateSet>.fromOpaque(argument).takeUnretainedValue()
    if let context = set.context(forServerName: String(cString: name)), context != SSL_get_SSL_CTX(ssl) {
        _ = SSL_set_SSL_CTX(ssl, context)
    }
    return SSL_TLSEXT_ERR_OK
}

/// ALPN: the first of the server's protocols the client offers. With no overlap the handshake
/// goes on without ALPN (the client then speaks its default, HTTP/1.1 for browsers) rather
/// than failing.
private func selectApplicationProtocol(
    _ ssl: OpaquePointer?, _ selected: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, _ selectedLength: UnsafeMutablePointer<UInt8>?,
    _ offered: UnsafePointer<UInt8>?, _ offeredLength: UInt32, _ argument: UnsafeMutableRawPointer?
) -> Int32 {
    guard let selected, let selectedLength, let offered, let argument else { return SSL_TLSEXT_ERR_NOACK }
    let set = Unmanaged<TLSCertificateSet>.fromOpaque(argument).takeUnretainedValue()
    guard set.alpnWire.count > 0 else { return SSL_TLSEXT_ERR_NOACK }
    var choice: UnsafeMutablePointer<UInt8>?
    let outcome = SSL_select_next_proto(
        &choice, selectedLength, set.alpnWire.baseAddress, UInt32(set.alpnWire.count), offered, offeredLength)
    guard outcome == OPENSSL_NPN_NEGOTIATED, let choice else { return SSL_TLSEXT_ERR_NOACK }
    selected.pointee = UnsafePointer(choice)
    return SSL_TLSEXT_ERR_OK
}
