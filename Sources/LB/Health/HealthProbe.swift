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
    private var tls: TLSStream?
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
        case .connected(let fd):
            self.fd = fd
            phase = .sending
        case .inProgress(let fd):
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
                tls = stream
                phase = .handshaking
            } else {
                phase = .sending
            }
            step()
        case .handshaking:
            guard let tls else { return }
            switch tls.handshake() {
            case .done, .bytes:
                phase = .sending
                step()
            case .wantRead: watcher?.set(events: .read)
            case .wantWrite: watcher?.set(events: .write)
            case .closed, .failed: finish(.connectionFailed(errno: ECONNRESET, reason: "TLS handshake failed"))
            }
        case .sending:
            while sent < request.count {
                let outcome = request.withUnsafeBytes { bytes in
                    write(UnsafeRawBufferPointer(rebasing: bytes[sent...]))
                }
                switch outcome {
                case .bytes(let n): sent += n
                case .wouldBlock:
                    watcher?.set(events: .write)
                    return
                case .endOfFile, .failed(_):
                    finish(.connectionFailed(errno: ECONNRESET, reason: "connection reset while sending the health check"))
                    return
                }
            }
            phase = .receiving
            watcher?.set(events: .read)
            step()
        case .receiving:
            while true {
                if response.writableBytes == 0 {
                    finish(.malformedResponse(reason: "response head larger than \(response.capacity) bytes"))
                    return
                }
                switch read(into: response.writableBytesView) {
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
                case .wouldBlock:
                    return
                case .endOfFile:
                    finish(.malformedResponse(reason: "connection closed before a complete response head"))
                    return
                case .failed(let error):
                    finish(.connectionFailed(errno: error, reason: HealthProbe.describe(errno: error)))
                    return
                }
            }
        case .done:
            break
        }
    }

    private func write(_ bytes: UnsafeRawBufferPointer) -> IOResult {
        guard let tls else { return Socket.write(fd, from: bytes) }
        switch tls.write(from: bytes) {
        case .bytes(let n): return .bytes(n)
        case .wantRead, .wantWrite, .done: return .wouldBlock
        case .closed: return .endOfFile
        case .failed: return .failed(ECONNRESET)
        }
    }

    private func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        guard let tls else { return Socket.read(fd, into: buffer) }
        switch tls.read(into: buffer) {
        case .bytes(let n): return .bytes(n)
        case .wantRead, .wantWrite, .done: return .wouldBlock
        case .closed: return .endOfFile
        case .failed: return .failed(ECONNRESET)
        }
    }

    private func finish(_ result: HealthCheckResult) {
        guard phase != .done else { return }
        phase = .done
        watcher?.stop()
        watcher = nil
        timer?.stop()
        timer = nil
        if fd >= 0 { Socket.close(fd) }
        checker.finished(self, result: result)
    }

    /// Cancels the probe without a result (shutdown).
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
