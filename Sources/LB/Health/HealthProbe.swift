import Glibc
import HTTPCore
import WharfIO

/// One active health check of one target: connect, send `GET path`, read the status line,
/// close. ALB's checker sends the same request (`User-Agent: ELB-HealthChecker/2.0`).
final class HealthProbe {
    private enum Phase {
        case connecting, handshaking, sending, receiving, done
    }

    let target: HealthCheckTarget
    private unowned let checker: HealthChecker
    private let fd: Int32
    private let startedAt: Double
    private var phase = Phase.connecting
    /// The socket once connected: plain, or TLS for `HTTPS` checks (the engine's own `Transport`).
    private var transport: Transport?
    private var request: [UInt8]
    private var sent = 0
    private let response = IOBuffer(capacity: 8 * 1024)
    private var parser = HTTPResponseParser(limits: HTTPLimits())
    private var head = HTTPResponseHead()
    private var watcher: IOWatcher?
    private var timer: TimerWatcher?

    /// Starts the probe; the result reaches `checker.finished(_:result:)`.
    init?(target: HealthCheckTarget, checker: HealthChecker, now: Double) {
        self.target = target
        self.checker = checker
        self.startedAt = now
        let host = target.endpoint.description
        self.request = Array("GET \(target.path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: ELB-HealthChecker/2.0\r\nAccept: */*\r\nConnection: close\r\n\r\n".utf8)
        guard let address = try? SocketAddress(ip: target.endpoint.host, port: target.endpoint.port) else { return nil }
        switch Socket.connect(to: address) {
        case .connected(let fd), .inProgress(let fd):
            // An immediate connect takes the same path as one in progress: the socket is
            // writable at once, and `step()` sets up the transport (and TLS) in `.connecting`.
            self.fd = fd
        case .failed(let error):
            self.fd = -1
            phase = .done
            checker.finished(self, result: .connectionFailed(errno: error, reason: HealthProbe.describe(errno: error)))
            return nil
        }
        let watcher = IOWatcher(loop: checker.loop, fd: fd, events: .write) { [unowned self] _ in self.step() }
        self.watcher = watcher
        watcher.start()
        let timer = TimerWatcher(loop: checker.loop) { [unowned self] in self.finish(.timeout) }
        timer.start(after: Double(target.timeoutSeconds), repeat: 0)
        self.timer = timer
    }

    private func step() {
        switch phase {
        case .connecting:
            let error = Socket.connectError(fd)
            if error != 0 {
                finish(.connectionFailed(errno: error, reason: HealthProbe.describe(errno: error)))
                return
            }
            if target.protocol == .https {
                guard let context = checker.tlsClientContext, let stream = try? TLSStream(clientContext: context, fd: fd, serverName: nil) else {
                    finish(.internalError(reason: "TLS client set-up failed"))
                    return
                }
                transport = .tls(fd: fd, stream: stream)
                phase = .handshaking
            } else {
                transport = .plain(fd: fd)
                phase = .sending
            }
            step()
        case .handshaking:
            guard case .tls(_, let stream) = transport else { return }
            switch stream.handshake() {
            case .done, .bytes:
                phase = .sending
                step()
            case .wantRead: watcher?.set(events: .read)
            case .wantWrite: watcher?.set(events: .write)
            case .closed, .failed: finish(.connectionFailed(errno: ECONNRESET, reason: "TLS handshake failed"))
            }
        case .sending:
            guard let transport else { return }
            while sent < request.count {
                let outcome = request.withUnsafeBytes { bytes in
                    transport.write(from: UnsafeRawBufferPointer(rebasing: bytes[sent...]))
                }
                switch outcome {
                case .bytes(let n): sent += n
                case .wantWrite:
                    watcher?.set(events: .write)
                    return
                case .wantRead:
                    watcher?.set(events: .read)
                    return
                case .closed, .failed:
                    finish(.connectionFailed(errno: ECONNRESET, reason: "connection reset while sending the health check"))
                    return
                }
            }
            phase = .receiving
            watcher?.set(events: .read)
            step()
        case .receiving:
            guard let transport else { return }
            while true {
                if response.writableBytes == 0 {
                    finish(.malformedResponse(reason: "response head larger than \(response.capacity) bytes"))
                    return
                }
                switch transport.read(into: response.writableBytesView) {
                case .bytes(let n):
                    response.commitWrite(n)
                    switch parser.parse(response.readableBytesView, into: &head, requestMethod: .get, requestWasUpgrade: false) {
                    case .complete:
                        let duration = checker.now() - startedAt
                        finish(.response(status: head.status, duration: duration, matcher: target.matcher))
                        return
                    case .failed(let error):
                        finish(.malformedResponse(reason: String(describing: error.reason)))
                        return
                    case .incomplete:
                        continue
                    }
                case .wantRead:
                    watcher?.set(events: .read)
                    return
                case .wantWrite:
                    watcher?.set(events: .write)
                    return
                case .closed:
                    finish(.malformedResponse(reason: "connection closed before a complete response head"))
                    return
                case .failed(let error):
                    let code = error == 0 ? ECONNRESET : error
                    finish(.connectionFailed(errno: code, reason: error == 0 ? "TLS read failed" : HealthProbe.describe(errno: error)))
                    return
                }
            }
        case .done:
            break
        }
    }

    private func finish(_ result: HealthCheckResult) {
        guard phase != .done else { return }
        cancel()
        checker.finished(self, result: result)
    }

    /// Ends the probe without a result (shutdown; `finish` reports one).
    func cancel() {
        guard phase != .done else { return }
        phase = .done
        watcher?.stop()
        watcher = nil
        timer?.stop()
        timer = nil
        if fd >= 0 { Socket.close(fd) }
    }

    static func describe(errno: Int32) -> String {
        guard let text = strerror(errno) else { return "errno \(errno)" }
        return String(cString: text)
    }
}
