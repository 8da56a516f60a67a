import WharfIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One blocking TCP connection to a registry, plain or TLS (WharfIO's `TLSStream` over the
/// blocking socket), used by one thread for one request. Connect is bounded by
/// `PullTimeouts.connect`; every read and write by the idle timeout
/// (`SO_RCVTIMEO`/`SO_SNDTIMEO`, never past the pull's deadline), so a stalled registry
/// surfaces as `.timedOut` naming the step: the socket call fails with `EAGAIN`, which the
/// TLS stream reports as `.wantRead`/`.wantWrite`.
final class RegistryConnection {
    private let fd: Int32
    private var stream: TLSStream?
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
            if let tls { try handshake(tls, host: host) }
        } catch {
            closeAll()
            throw error
        }
    }

    deinit { closeAll() }

    private func closeAll() {
        // The stream does not own the descriptor: free it first.
        stream = nil
        close(fd)
    }

    // MARK: - I/O

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws(RegistryError) {
        var offset = 0
        while offset < bytes.count {
            try applyIdleTimeout()
            if let stream {
                let result = bytes.withUnsafeBytes { raw in stream.write(from: UnsafeRawBufferPointer(rebasing: raw[offset...])) }
                switch result {
                case let .bytes(n): offset += n
                case .wantRead, .wantWrite: throw stalled()
                case .closed, .done: throw step.connectionError("SSL_write_ex", EPIPE)
                case let .failed(error): throw failure(error)
                }
                continue
            }
            let n = bytes.withUnsafeBytes { raw in send(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                offset += n
                continue
            }
            try socketFailure(call: "send")
        }
    }

    /// Reads up to `buffer.count` bytes; 0 when the registry closed the connection.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(RegistryError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            try applyIdleTimeout()
            if let stream {
                switch stream.read(into: buffer) {
                case let .bytes(n): return n
                case .closed, .done: return 0
                case .wantRead, .wantWrite: throw stalled()
                case let .failed(error): throw failure(error)
                }
            }
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n >= 0 { return n }
            try socketFailure(call: "recv")
        }
    }

    /// Turns a failed plain `send`/`recv` into the right error; returns to retry after EINTR.
    private func socketFailure(call: String) throws(RegistryError) {
        let code = errno
        if code == EINTR { return }
        if code == EAGAIN || code == EWOULDBLOCK { throw stalled() }
        throw step.connectionError(call, code)
    }

    /// A failed TLS step: a socket failure is a (transient) connection error, anything else
    /// (certificate verification included) a TLS error carrying OpenSSL's reason.
    private func failure(_ error: TLSError) -> RegistryError {
        switch error {
        case let .handshake(_, code) where code != 0: return step.connectionError("SSL_do_handshake", code)
        case let .read(_, code) where code != 0: return step.connectionError("SSL_read_ex", code)
        case let .write(_, code) where code != 0: return step.connectionError("SSL_write_ex", code)
        case let .handshake(reason, _): return tlsError("SSL_do_handshake", reason)
        case let .read(reason, _): return tlsError("SSL_read_ex", reason)
        case let .write(reason, _): return tlsError("SSL_write_ex", reason)
        case let .createConnection(function, reason): return tlsError(function, reason)
        default: return tlsError("TLS", error.description)
        }
    }

    private func tlsError(_ function: String, _ reason: String) -> RegistryError {
        .tls(image: step.image, registry: step.registry, step: step.step, function: function, reason: reason)
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

    /// Runs the client handshake; each blocking socket call inside is bounded by the idle
    /// timeout set just before.
    private func handshake(_ tls: TLSClientContext, host: String) throws(RegistryError) {
        let stream: TLSStream
        do { stream = try TLSStream(clientContext: tls, fd: fd, serverName: host) } catch { throw failure(error) }
        self.stream = stream
        switch stream.handshake() {
        case .done, .bytes: return
        case .wantRead, .wantWrite: throw stalled()
        case .closed: throw step.connectionError("SSL_do_handshake", ECONNRESET)
        case let .failed(error): throw failure(error)
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
