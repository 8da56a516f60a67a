import Foundation
import WharfIO
import XCTest

/// Runs `loop` until `stop()` or until `timeout` seconds pass; returns false on timeout.
func runLoop(_ loop: EventLoop, timeout: Double = 5) -> Bool {
    var timedOut = false
    let guardTimer = TimerWatcher(loop: loop) {
        timedOut = true
        loop.stop()
    }
    guardTimer.start(after: timeout)
    loop.run()
    guardTimer.stop()
    return !timedOut
}

/// A loopback listener on an ephemeral port, closed by `close()`.
struct LoopbackListener {
    let fd: Int32
    let address: SocketAddress

    init(reusePort: Bool = false, address: SocketAddress? = nil) throws {
        let bindAddress = try address ?? SocketAddress("127.0.0.1:0")
        fd = try Socket.listen(bindAddress, reusePort: reusePort, backlog: 128)
        self.address = try Socket.localAddress(fd)
    }

    func close() { Socket.close(fd) }
}

/// Waits (poll) until `fd` has `events`, up to `timeout` seconds.
@discardableResult
func waitFor(_ fd: Int32, events: Int16, timeout: Double = 5) -> Bool {
    var descriptor = pollfd(fd: fd, events: events, revents: 0)
    return poll(&descriptor, 1, Int32(timeout * 1000)) == 1
}

/// A connected loopback TCP pair (server side, client side), both non-blocking.
func connectedPair() throws -> (server: Int32, client: Int32) {
    let listener = try LoopbackListener()
    defer { listener.close() }
    let client: Int32
    switch Socket.connect(to: listener.address) {
    case .connected(let fd), .inProgress(let fd): client = fd
    case .failed(let code): throw IOError.createSocket(errno: code)
    }
    XCTAssertTrue(waitFor(listener.fd, events: Int16(POLLIN)))
    guard case .accepted(let server, _) = Socket.accept(listener.fd) else {
        Socket.close(client)
        throw IOError.localAddress(errno: EAGAIN)
    }
    XCTAssertTrue(waitFor(client, events: Int16(POLLOUT)))
    XCTAssertEqual(Socket.connectError(client), 0)
    // Without TCP_NODELAY, small TLS writes (tickets, then data) wait for delayed ACKs (40 ms).
    try Socket.setNoDelay(server)
    try Socket.setNoDelay(client)
    return (server, client)
}

/// Writes all of `bytes` to a non-blocking socket, polling when it is full.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let result = bytes[offset...].withUnsafeBytes { Socket.write(fd, from: $0) }
        switch result {
        case .bytes(let count): offset += count
        case .wouldBlock: waitFor(fd, events: Int16(POLLOUT))
        default:
            XCTFail("write failed: \(result)")
            return
        }
    }
}
