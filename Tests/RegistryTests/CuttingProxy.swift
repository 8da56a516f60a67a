import Foundation
import WharfTestSupport

/// A TCP proxy on 127.0.0.1 in front of a registry that cuts the first `cuts` responses
/// longer than `cutAfter` bytes in the middle, to exercise resuming. It records whether
/// clients came back with a `Range` request.
final class CuttingProxy: @unchecked Sendable {
    let port: Int
    private let upstreamPort: Int
    private let cutAfter: Int
    private let listener: Int32
    private let lock = NSLock()
    private var cutsLeft: Int
    private var rangeRequests = 0
    private var connections: [Int32] = []
    private var acceptThread: Thread?
    private let stopped = DispatchSemaphore(value: 0)

    init(upstreamPort: Int, cuts: Int, cutAfter: Int) throws {
        self.upstreamPort = upstreamPort
        self.cutAfter = cutAfter
        cutsLeft = cuts
        let opened = try LoopbackListener(backlog: 64)
        listener = opened.fd
        port = opened.port
        let thread = Thread { [self] in acceptLoop() }
        acceptThread = thread
        thread.start()
    }

    /// How many requests asked for a byte range.
    var rangeRequestCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return rangeRequests
    }

    /// Closes the listener and every proxied connection, and waits for the accept loop.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        lock.lock()
        for fd in connections { shutdown(fd, Int32(SHUT_RDWR)) }
        lock.unlock()
        stopped.wait()
    }

    private func acceptLoop() {
        defer { stopped.signal() }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(client)
                close(upstream)
                continue
            }
            lock.lock()
            connections += [client, upstream]
            lock.unlock()
            let pair = Pair()
            Thread { [self] in
                pump(from: client, to: upstream, inspectRequests: true)
                finished(pair, client, upstream)
            }.start()
            Thread { [self] in
                pump(from: upstream, to: client, inspectRequests: false)
                finished(pair, client, upstream)
            }.start()
        }
    }

    /// The two pumps of one proxied connection; the second to finish closes the sockets.
    private final class Pair: @unchecked Sendable { var finished = 0 }

    private func finished(_ pair: Pair, _ client: Int32, _ upstream: Int32) {
        lock.lock()
        pair.finished += 1
        let last = pair.finished == 2
        if last { connections.removeAll { $0 == client || $0 == upstream } }
        lock.unlock()
        if last {
            close(client)
            close(upstream)
        }
    }

    private func pump(from source: Int32, to destination: Int32, inspectRequests: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var total = 0
        var willCut = false
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            if inspectRequests && String(decoding: buffer[0..<n], as: UTF8.self).lowercased().contains("\r\nrange: bytes=") {
                lock.lock()
                rangeRequests += 1
                lock.unlock()
            }
            var count = n
            if !inspectRequests && total + n > cutAfter && !willCut {
                lock.lock()
                if cutsLeft > 0 {
                    cutsLeft -= 1
                    willCut = true
                }
                lock.unlock()
                if willCut { count = cutAfter - total }
            }
            let sent = buffer.withUnsafeBytes { send(destination, $0.baseAddress, count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 { break }
            total += count
            if willCut { break }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
    }

    private static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
