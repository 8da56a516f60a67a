import COpenSSL

/// A resumable TLS session saved from a client connection (`SSL_SESSION`), to resume with a
/// later connection to the same server.
///
/// `@unchecked Sendable`: OpenSSL reference-counts sessions and `SSL_set_session` only reads
/// them, so one session may seed connections on several threads.
public final class TLSSession: @unchecked Sendable {
    let raw: OpaquePointer

    /// Takes over one reference to `raw`.
    init(taking raw: OpaquePointer) { self.raw = raw }

    deinit { SSL_SESSION_free(raw) }

    /// The protocol version the session was made with.
    public var protocolVersion: TLSVersion? {
        TLSVersion(openSSLValue: SSL_SESSION_get_protocol_version(raw))
    }
}
