import COpenSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One TLS connection over a non-blocking socket, driven by readiness events.
///
/// Each call does what it can and returns: `.wantRead` / `.wantWrite` name the readiness to
/// wait for before calling the same method again. No call allocates in WharfIO; OpenSSL
/// allocates its record buffers when a connection starts moving data after being idle (see
/// `TLSServerContext`'s `releaseIdleBuffers`).
///
/// Rules the connection state machine must follow:
/// - Retry a `write` that returned `.wantRead`/`.wantWrite` with the same bytes (the buffer
///   may move, its contents may not). Partial writes are on: `.bytes(n)` may be less than
///   asked.
/// - After a `read`, bytes may remain buffered in OpenSSL (a decrypted record, or raw bytes
///   read ahead) with nothing left on the socket, so the socket will not become readable for
///   them: read until `.wantRead` (or until `hasBufferedBytes` is false) before waiting for
///   readiness again.
/// - TLS 1.3 can make `read` want to write and `write` want to read (key updates, tickets).
///
/// The stream does not own the descriptor: close it after releasing the stream.
/// Loop thread only (one connection is never used from two threads at once).
public final class TLSStream {
    /// What keeps the context (and the callbacks' argument) alive for this connection.
    private enum Origin {
        case server(TLSCertificateSet)
        case client(TLSClientContext)
    }

    private let ssl: OpaquePointer
    private let origin: Origin
    /// The socket the stream reads and writes.
    public let fd: Int32

    /// A server connection on an accepted socket, with the context's current certificates.
    public init(context: TLSServerContext, fd: Int32) throws(TLSError) {
        let certificates = context.currentCertificateSet()
        ssl = try Self.makeSSL(context: certificates.defaultContext, fd: fd)
        origin = .server(certificates)
        self.fd = fd
        SSL_set_accept_state(ssl)
    }

    /// A client connection on a connected (or connecting) socket.
    ///
    /// - Parameters:
    ///   - serverName: sent as SNI (unless it is an IP literal) and, when the context verifies
    ///     peers, the name (or IP) the certificate must carry.
    ///   - session: a session saved from an earlier connection, to resume.
    public init(clientContext: TLSClientContext, fd: Int32, serverName: String?, session: TLSSession? = nil) throws(TLSError) {
        let ssl = try Self.makeSSL(context: clientContext.raw, fd: fd)
        self.ssl = ssl
        origin = .client(clientContext)
        self.fd = fd
        // From here `deinit` frees `ssl` if a step throws.
        if let serverName {
            let isIPLiteral = (try? SocketAddress(ip: serverName, port: 0)) != nil
            if !isIPLiteral {
                guard wharf_SSL_set_tlsext_host_name(ssl, serverName) == 1 else {
                    throw .createConnection(function: "SSL_set_tlsext_host_name", openSSL: OpenSSLErrorQueue.drain())
                }
            }
            if clientContext.verifyPeer {
                let accepted =
                    isIPLiteral ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName) : SSL_set1_host(ssl, serverName)
                guard accepted == 1 else {
                    throw .createConnection(function: isIPLiteral ? "X509_VERIFY_PARAM_set1_ip_asc" : "SSL_set1_host", openSSL: OpenSSLErrorQueue.drain())
                }
            }
        }
        if let session {
            guard SSL_set_session(ssl, session.raw) == 1 else {
                throw .createConnection(function: "SSL_set_session", openSSL: OpenSSLErrorQueue.drain())
            }
        }
        SSL_set_connect_state(ssl)
    }

    deinit { SSL_free(ssl) }

    private static func makeSSL(context: OpaquePointer, fd: Int32) throws(TLSError) -> OpaquePointer {
        guard let ssl = SSL_new(context) else {
            throw .createConnection(function: "SSL_new", openSSL: OpenSSLErrorQueue.drain())
        }
        guard let bio = SocketBIO.make(fd: fd) else {
            SSL_free(ssl)
            throw .createConnection(function: "BIO_new", openSSL: OpenSSLErrorQueue.drain())
        }
        // One BIO for both directions: SSL_set_bio takes over its single reference.
        SSL_set_bio(ssl, bio, bio)
        return ssl
    }

    // MARK: I/O

    /// Advances the handshake: `.done` once complete.
    public func handshake() -> TLSResult {
        clearErrorQueue()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .done }
        return outcome(of: result, errno: errno, operation: .handshake)
    }

    /// Reads decrypted bytes into `buffer` (non-empty): `.bytes(n)`, `.wantRead`,
    /// `.wantWrite`, `.closed` or `.failed`.
    @inline(__always)
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSResult {
        clearErrorQueue()
        var count = 0
        let result = SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count)
        if result == 1 { return .bytes(count) }
        return outcome(of: result, errno: errno, operation: .read)
    }

    /// Encrypts and sends bytes from `buffer`: `.bytes(n)` (possibly fewer than given),
    /// `.wantWrite`, `.wantRead`, `.closed` or `.failed`. An empty buffer gives `.bytes(0)`.
    @inline(__always)
    public func write(from buffer: UnsafeRawBufferPointer) -> TLSResult {
        guard buffer.count > 0 else { return .bytes(0) }
        clearErrorQueue()
        var count = 0
        let result = SSL_write_ex(ssl, buffer.baseAddress, buffer.count, &count)
        if result == 1 { return .bytes(count) }
        return outcome(of: result, errno: errno, operation: .write)
    }

    /// Empties this thread's OpenSSL error queue, which `SSL_get_error` requires before each
    /// operation. `ERR_clear_error` rewrites every slot of the queue (hundreds of instructions,
    /// twice per proxied request), so it runs only when the queue holds something.
    @inline(__always)
    private func clearErrorQueue() {
        if ERR_peek_error() != 0 { ERR_clear_error() }
    }

    /// Whether OpenSSL holds bytes already taken from the socket (a decrypted record not yet
    /// returned, or raw bytes read ahead): a reader must call `read` again before waiting for
    /// the socket to become readable, which it will not for these.
    @inline(__always)
    public var hasBufferedBytes: Bool { SSL_has_pending(ssl) == 1 }

    /// Sends `close_notify` once: `.done` when it is sent (the peer's reply is not awaited;
    /// close the socket next), `.wantWrite` to retry. Before the handshake has finished
    /// there is nothing to close and this returns `.done` at once.
    public func shutdown() -> TLSResult {
        guard SSL_is_init_finished(ssl) == 1 else { return .done }
        clearErrorQueue()
        let result = SSL_shutdown(ssl)
        if result >= 0 { return .done }
        return outcome(of: result, errno: errno, operation: .shutdown)
    }

    private enum Operation {
        case handshake, read, write, shutdown
    }

    /// Maps a failed call's `SSL_get_error` onto a result. `errno` is the caller's, read right
    /// after the call.
    private func outcome(of result: Int32, errno code: Int32, operation: Operation) -> TLSResult {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ:
            return .wantRead
        case SSL_ERROR_WANT_WRITE:
            return .wantWrite
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        case SSL_ERROR_SYSCALL where ERR_peek_error() == 0 && code == 0:
            // EOF that OpenSSL did not turn into a close (it does with IGNORE_UNEXPECTED_EOF).
            return .closed
        case let kind:
            var message = OpenSSLErrorQueue.drain()
            let socketCode = kind == SSL_ERROR_SYSCALL ? code : 0
            if operation == .handshake {
                let verification = SSL_get_verify_result(ssl)
                if verification != Int(X509_V_OK), let text = X509_verify_cert_error_string(verification) {
                    message += "; certificate verification: \(String(cString: text))"
                }
            }
            switch operation {
            case .handshake: return .failed(.handshake(openSSL: message, errno: socketCode))
            case .read: return .failed(.read(openSSL: message, errno: socketCode))
            case .write: return .failed(.write(openSSL: message, errno: socketCode))
            case .shutdown: return .failed(.shutdown(openSSL: message, errno: socketCode))
            }
        }
    }

    // MARK: Connection facts

    /// Whether the handshake has completed.
    public var isHandshakeComplete: Bool { SSL_is_init_finished(ssl) == 1 }

    /// The protocol ALPN selected (`"http/1.1"`), or nil when none was.
    public var negotiatedALPN: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// The SNI name: on a server, what the client asked for; on a client, what it sent.
    public var serverName: String? {
        SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
    }

    /// The negotiated protocol version (after the handshake).
    public var protocolVersion: TLSVersion? { TLSVersion(openSSLValue: SSL_version(ssl)) }

    /// The negotiated cipher suite, e.g. `TLS_AES_256_GCM_SHA384`.
    public var cipherName: String? {
        SSL_get_current_cipher(ssl).flatMap { SSL_CIPHER_get_name($0) }.map { String(cString: $0) }
    }

    /// Whether the handshake resumed an earlier session (ticket or session cache).
    public var isResumed: Bool { SSL_session_reused(ssl) == 1 }

    /// The CN of the peer's certificate (on a client: the server's), if it sent one.
    public var peerCertificateCommonName: String? {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        return CertificateNames.commonName(of: certificate)
    }

    /// The subjectAltName DNS names of the peer's certificate.
    public var peerCertificateDNSNames: [String] {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return [] }
        defer { X509_free(certificate) }
        return CertificateNames.dnsNames(of: certificate)
    }

    /// The session to resume in a later client connection, once it is resumable. With TLS 1.3
    /// the server sends tickets after the handshake: read at least once first.
    public func resumableSession() -> TLSSession? {
        guard let session = SSL_get1_session(ssl) else { return nil }
        guard SSL_SESSION_is_resumable(session) == 1 else {
            SSL_SESSION_free(session)
            return nil
        }
        return TLSSession(taking: session)
    }
}
