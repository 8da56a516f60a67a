import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One blocking TCP connection to a registry, plain or TLS, used by one thread for one
/// request. Connect is bounded by `PullTimeouts.connect`; every read and write by the idle
/// timeout (`SO_RCVTIMEO`/`SO_SNDTIMEO`, never past the pull's deadline), so a stalled
/// registry surfaces as `.timedOut` naming the step.
final class RegistryConnection {
    private let fd: Int32
    private var ssl: OpaquePointer?
    private let step: PullStep
    private let idleTimeout: Double

    /// Connects to `host:port`; with `tls`, performs the handshake and verifies the
    /// certificate chain and that it names `host` (DNS name or IP address).
    init(host: String, port: Int, tls: TLSClientContext?, timeouts: PullTimeouts, step: PullStep) throws(RegistryError) {
        self.step = step
        idleTimeout = timeouts.idle
        fd = try Self.connect(host: host, port: port, timeout: min(timeouts.connect, max(step.remaining, 0.001)), step: step)
        do throws(RegistryError) {
            try applyIdleTimeout()
            if let tls { try handshake(tls, host: host, timeout: timeouts.connect) }
        } catch {
            closeAll()
            throw error
        }
    }

    deinit { closeAll() }

    private func closeAll() {
        if let ssl {
            SSL_free(ssl)
            self.ssl = nil
        }
        close(fd)
    }

    // MARK: - I/O

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws(RegistryError) {
        var offset = 0
        while offset < bytes.count {
            try applyIdleTimeout()
            let n: Int = bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return 0 }
                if let ssl { return Int(SSL_write(ssl, base + offset, Int32(min(bytes.count - offset, Int(Int32.max))))) }
                return send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                offset += n
                continue
            }
            try failure(n, call: ssl == nil ? "send" : "SSL_write")
        }
    }

    /// Reads up to `buffer.count` bytes; 0 when the registry closed the connection.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(RegistryError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            try applyIdleTimeout()
            let n: Int
            if let ssl {
                n = Int(SSL_read(ssl, base, Int32(min(buffer.count, Int(Int32.max)))))
                if n <= 0 && SSL_get_error(ssl, Int32(n)) == SSL_ERROR_ZERO_RETURN { return 0 }
            } else {
                n = recv(fd, base, buffer.count, 0)
                if n == 0 { return 0 }
            }
            if n > 0 { return n }
            try failure(n, call: ssl == nil ? "recv" : "SSL_read")
        }
    }

    /// Turns a failed read or write into the right error; returns to retry after EINTR.
    private func failure(_ result: Int, call: String) throws(RegistryError) {
        let code = errno
        if let ssl {
            let kind = SSL_get_error(ssl, Int32(result))
            switch kind {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                throw stalled()
            case SSL_ERROR_SYSCALL:
                if code == EINTR { return }
                if code == EAGAIN || code == EWOULDBLOCK { throw stalled() }
                throw step.connectionError(call, code == 0 ? ECONNRESET : code)
            default:
                throw .tls(image: step.image, registry: step.registry, step: step.step, function: call,
                           reason: TLSClientContext.drainErrors())
            }
        }
        if code == EINTR { return }
        if code == EAGAIN || code == EWOULDBLOCK { throw stalled() }
        throw step.connectionError(call, code)
    }

    private func stalled() -> RegistryError {
        step.remaining <= 0 ? step.timedOut(step.overall) : step.timedOut(idleTimeout)
    }

    /// Bounds the next blocking call by the idle timeout or what is left of the deadline.
    private func applyIdleTimeout() throws(RegistryError) {
        let remaining = step.remaining
        guard remaining > 0 else { throw step.timedOut(step.overall) }
        let seconds = min(idleTimeout, remaining)
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        if tv.tv_sec == 0 && tv.tv_usec == 0 { tv.tv_usec = 1000 }
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size)) == 0,
              setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw step.connectionError("setsockopt(SO_RCVTIMEO)")
        }
    }

    // MARK: - Setup

    private func handshake(_ tls: TLSClientContext, host: String, timeout: Double) throws(RegistryError) {
        func tlsError(_ function: String, _ reason: String = TLSClientContext.drainErrors()) -> RegistryError {
            .tls(image: step.image, registry: step.registry, step: step.step, function: function, reason: reason)
        }
        guard let ssl = SSL_new(tls.context) else { throw tlsError("SSL_new") }
        self.ssl = ssl
        guard SSL_set_fd(ssl, fd) == 1 else { throw tlsError("SSL_set_fd") }
        var address = in6_addr()
        let isIPLiteral = inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
        if !isIPLiteral {
            guard wharf_SSL_set_tlsext_host_name(ssl, host) == 1 else { throw tlsError("SSL_set_tlsext_host_name") }
            guard SSL_set1_host(ssl, host) == 1 else { throw tlsError("SSL_set1_host") }
        } else {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else { throw tlsError("X509_VERIFY_PARAM_set1_ip_asc") }
        }
        let rc = SSL_connect(ssl)
        guard rc == 1 else {
            let verify = SSL_get_verify_result(ssl)
            if verify != X509_V_OK {
                let reason = X509_verify_cert_error_string(verify).map { String(cString: $0) } ?? "verification failed"
                _ = TLSClientContext.drainErrors()
                throw tlsError("SSL_connect", "certificate verification failed: \(reason)")
            }
            let code = errno
            let kind = SSL_get_error(ssl, rc)
            if kind == SSL_ERROR_WANT_READ || kind == SSL_ERROR_WANT_WRITE
                || (kind == SSL_ERROR_SYSCALL && (code == EAGAIN || code == EWOULDBLOCK)) {
                throw step.timedOut(idleTimeout)
            }
            if kind == SSL_ERROR_SYSCALL { throw step.connectionError("SSL_connect", code == 0 ? ECONNRESET : code) }
            throw tlsError("SSL_connect")
        }
    }

    /// Resolves `host` and connects to the first address that accepts within `timeout`.
    private static func connect(host: String, port: Int, timeout: Double, step: PullStep) throws(RegistryError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            let reason = gai_strerror(rc).map { String(cString: $0) } ?? "unknown"
            throw step.protocolViolation("resolve \(host): getaddrinfo: \(reason)")
        }
        defer { freeaddrinfo(list) }
        var lastError: RegistryError = step.connectionError("connect", ECONNREFUSED)
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else {
                lastError = step.connectionError("socket")
                continue
            }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 && errno != EINPROGRESS {
                lastError = step.connectionError("connect")
                close(fd)
                continue
            }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, Int32(max(timeout, 0.001) * 1000))
            if ready == 0 {
                lastError = step.timedOut(timeout)
                close(fd)
                continue
            }
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if ready < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) != 0 || soError != 0 {
                lastError = step.connectionError("connect", soError != 0 ? soError : errno)
                close(fd)
                continue
            }
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return fd
        }
        throw lastError
    }
}
