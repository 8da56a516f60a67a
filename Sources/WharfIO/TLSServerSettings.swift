import COpenSSL

/// What every server `SSL_CTX` of one `TLSServerContext` shares, across reloads.
struct TLSServerSettings: Sendable {
    /// OpenSSL's ticket key block: 16 bytes key name, 32 bytes HMAC secret, 32 bytes AES key.
    static let ticketKeyLength = 80
    /// Sessions kept in each server-side session cache (TLS 1.2 session ids).
    static let sessionCacheSize = 20_480
    /// How long a session (cache entry or ticket) may be resumed, in seconds.
    static let sessionLifetimeSeconds = 3_600
    /// TLS 1.2 cipher suites: ECDHE only (forward secrecy), AEAD only, ECDSA before RSA.
    /// TLS 1.3 suites are OpenSSL's defaults (AES-GCM and ChaCha20-Poly1305, all AEAD).
    static let tls12CipherList =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
    /// The session id context: sessions are only resumed by contexts with the same one.
    static let sessionIDContext: [UInt8] = Array("wharf".utf8)

    /// The server's ALPN list in wire format, in preference order.
    let alpnWire: [UInt8]
    /// Session ticket keys, random per process and kept across reloads, so tickets issued
    /// before a certificate reload still resume after it.
    let ticketKeys: [UInt8]
    /// Whether connections free their record buffers while idle (`SSL_MODE_RELEASE_BUFFERS`).
    let releaseIdleBuffers: Bool

    init(alpn: [String], releaseIdleBuffers: Bool) throws(TLSError) {
        guard let wire = ALPN.wireFormat(alpn) else {
            throw .configureContext(setting: "ALPN protocol list", openSSL: "each protocol name must be 1 to 255 bytes")
        }
        var keys = [UInt8](repeating: 0, count: Self.ticketKeyLength)
        let generated = keys.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        guard generated == 1 else { throw .createContext(function: "RAND_bytes", openSSL: OpenSSLErrorQueue.drain()) }
        alpnWire = wire
        ticketKeys = keys
        self.releaseIdleBuffers = releaseIdleBuffers
    }
}
