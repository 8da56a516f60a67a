import Foundation
import WharfIO
import XCTest

final class SocketTests: XCTestCase {
    /// An echo server and a client on one loop, all through IOWatchers.
    func testEchoServerAndClientOnOneLoop() throws {
        let loop = try EventLoop()
        let listener = try LoopbackListener()
        defer { listener.close() }
        let message = Array("hello from the wharf client".utf8)

        var connections: [Int32: IOWatcher] = [:]
        var serverFDs: [Int32] = []
        defer { serverFDs.forEach(Socket.close) }
        let acceptor = IOWatcher(loop: loop, fd: listener.fd, events: .read) { _ in
            while case .accepted(let fd, let peer) = Socket.accept(listener.fd) {
                XCTAssertEqual(peer.ip, "127.0.0.1")
                serverFDs.append(fd)
                let echo = IOWatcher(loop: loop, fd: fd, events: .read) { _ in
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    let result = buffer.withUnsafeMutableBytes { Socket.read(fd, into: $0) }
                    switch result {
                    case .bytes(let count):
                        writeAll(fd, Array(buffer[..<count]))
                    case .endOfFile, .failed:
                        connections[fd]?.stop()
                    case .wouldBlock:
                        break
                    }
                }
                connections[fd] = echo
                echo.start()
            }
        }
        acceptor.start()

        guard case .inProgress(let client) = Socket.connect(to: listener.address) else {
            return XCTFail("loopback connect should start in progress")
        }
        defer { Socket.close(client) }
        try Socket.setNoDelay(client)
        var received: [UInt8] = []
        var sent = false
        var clientWatcher: IOWatcher!
        clientWatcher = IOWatcher(loop: loop, fd: client, events: .write) { events in
            if events.contains(.write), !sent {
                XCTAssertEqual(Socket.connectError(client), 0)
                writeAll(client, message)
                sent = true
                clientWatcher.set(events: .read)
                return
            }
            var buffer = [UInt8](repeating: 0, count: 4096)
            if case .bytes(let count) = buffer.withUnsafeMutableBytes({ Socket.read(client, into: $0) }) {
                received += buffer[..<count]
                if received.count >= message.count { loop.stop() }
            }
        }
        clientWatcher.start()
        XCTAssertTrue(runLoop(loop))
        XCTAssertEqual(received, message)
        XCTAssertEqual(connections.count, 1)
    }

    func testTwoReusePortListenersOnOnePortBothAccept() throws {
        let first = try LoopbackListener(reusePort: true)
        defer { first.close() }
        let second = try LoopbackListener(reusePort: true, address: first.address)
        defer { second.close() }
        XCTAssertEqual(first.address, second.address)
        // Without SO_REUSEPORT the same port is refused.
        XCTAssertThrowsError(try Socket.listen(first.address, reusePort: false)) { error in
            guard case .bind(_, let code)? = error as? IOError else { return XCTFail("\(error)") }
            XCTAssertEqual(code, EADDRINUSE)
        }

        let clientCount = 64
        var clients: [Int32] = []
        defer { clients.forEach(Socket.close) }
        for _ in 0..<clientCount {
            switch Socket.connect(to: first.address) {
            case .connected(let fd), .inProgress(let fd): clients.append(fd)
            case .failed(let code): XCTFail("connect: errno \(code)")
            }
        }
        var accepted = [0, 0]
        var acceptedFDs: [Int32] = []
        defer { acceptedFDs.forEach(Socket.close) }
        let deadline = Date().addingTimeInterval(5)
        while accepted[0] + accepted[1] < clientCount, Date() < deadline {
            for (index, listener) in [first, second].enumerated() {
                while case .accepted(let fd, _) = Socket.accept(listener.fd) {
                    accepted[index] += 1
                    acceptedFDs.append(fd)
                }
            }
            usleep(1000)
        }
        XCTAssertEqual(accepted[0] + accepted[1], clientCount)
        // The kernel hashes each connection to one listener: both get some of 64.
        XCTAssertGreaterThan(accepted[0], 0)
        XCTAssertGreaterThan(accepted[1], 0)
    }

    func testConnectToAClosedPortIsRefused() throws {
        let listener = try LoopbackListener()
        let address = listener.address
        listener.close()
        switch Socket.connect(to: address) {
        case .failed(let code):
            XCTAssertEqual(code, ECONNREFUSED)
        case .inProgress(let fd):
            defer { Socket.close(fd) }
            XCTAssertTrue(waitFor(fd, events: Int16(POLLOUT)))
            XCTAssertEqual(Socket.connectError(fd), ECONNREFUSED)
        case .connected(let fd):
            Socket.close(fd)
            XCTFail("connected to a closed port")
        }
    }

    func testNonBlockingConnectCompletesOnTheLoop() throws {
        let loop = try EventLoop()
        let listener = try LoopbackListener()
        defer { listener.close() }
        let result = Socket.connect(to: listener.address)
        let client: Int32
        switch result {
        case .connected(let fd), .inProgress(let fd): client = fd
        case .failed(let code): return XCTFail("connect: errno \(code)")
        }
        defer { Socket.close(client) }
        var connectError: Int32 = -1
        let watcher = IOWatcher(loop: loop, fd: client, events: .write) { events in
            XCTAssertTrue(events.contains(.write))
            connectError = Socket.connectError(client)
            loop.stop()
        }
        watcher.start()
        XCTAssertTrue(runLoop(loop))
        XCTAssertEqual(connectError, 0)
        let local = try Socket.localAddress(client)
        XCTAssertEqual(local.ip, "127.0.0.1")
    }

    func testEndOfFileIsReported() throws {
        let (server, client) = try connectedPair()
        defer { Socket.close(server) }
        var buffer = [UInt8](repeating: 0, count: 64)
        XCTAssertEqual(buffer.withUnsafeMutableBytes { Socket.read(server, into: $0) }, .wouldBlock)
        writeAll(client, Array("last words".utf8))
        XCTAssertEqual(Socket.shutdownWrite(client), 0)
        Socket.close(client)
        XCTAssertTrue(waitFor(server, events: Int16(POLLIN)))
        XCTAssertEqual(buffer.withUnsafeMutableBytes { Socket.read(server, into: $0) }, .bytes(10))
        XCTAssertEqual(buffer.withUnsafeMutableBytes { Socket.read(server, into: $0) }, .endOfFile)
    }

    func testResetIsReportedAndWritingToItRaisesNoSIGPIPE() throws {
        let (server, client) = try connectedPair()
        defer { Socket.close(server) }
        try Socket.setLinger0(client)
        Socket.close(client)
        XCTAssertTrue(waitFor(server, events: Int16(POLLIN)))
        var buffer = [UInt8](repeating: 0, count: 64)
        XCTAssertEqual(buffer.withUnsafeMutableBytes { Socket.read(server, into: $0) }, .failed(ECONNRESET))
        // The connection is dead: writing fails with EPIPE instead of killing the process.
        let payload = [UInt8](repeating: 1, count: 16)
        XCTAssertEqual(payload.withUnsafeBytes { Socket.write(server, from: $0) }, .failed(EPIPE))
    }

    func testWriteToAFullSocketWouldBlock() throws {
        let (server, client) = try connectedPair()
        defer {
            Socket.close(server)
            Socket.close(client)
        }
        let chunk = [UInt8](repeating: 7, count: 1 << 16)
        var total = 0
        var last = WriteResult.bytes(0)
        for _ in 0..<10_000 {
            last = chunk.withUnsafeBytes { Socket.write(server, from: $0) }
            guard case .bytes(let count) = last else { break }
            total += count
        }
        XCTAssertEqual(last, .wouldBlock)
        XCTAssertGreaterThan(total, 0)
    }

    /// Out of descriptors: accept reports EMFILE and the connection stays queued, so a caller
    /// must pause the level-triggered listener (the LB's workers do, and retry from a timer);
    /// once descriptors are free again the same connection is accepted.
    func testEMFILELeavesTheConnectionQueuedForALaterAccept() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        var client: Int32 = -1
        switch Socket.connect(to: listener.address) {
        case .connected(let fd), .inProgress(let fd): client = fd
        case .failed(let code): return XCTFail("connect: errno \(code)")
        }
        defer { Socket.close(client) }
        XCTAssertTrue(waitFor(listener.fd, events: Int16(POLLIN)))

        var saved = rlimit()
        XCTAssertEqual(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &saved), 0)
        var lowered = saved
        // Above every descriptor the process holds now (tests before this one may hold many),
        // so the filler below, not what is already open, is what runs the process out.
        let highest = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap { Int32($0) }.max() ?? 2
        lowered.rlim_cur = rlim_t(highest + 64)
        XCTAssertEqual(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &lowered), 0)
        var filler: [Int32] = []
        defer {
            filler.forEach { _ = close($0) }
            var restore = saved
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &restore)
        }
        // Bounded by the lowered limit: dup fails once every slot below it is taken.
        while true {
            let fd = dup(0)
            if fd < 0 { break }
            filler.append(fd)
        }
        XCTAssertEqual(errno, EMFILE)

        XCTAssertEqual(Socket.accept(listener.fd), .failed(EMFILE))
        XCTAssertTrue(waitFor(listener.fd, events: Int16(POLLIN), timeout: 0), "still pending: the listener stays readable")

        filler.forEach { _ = close($0) }
        filler = []
        let result = Socket.accept(listener.fd)
        guard case .accepted(let accepted, _) = result else {
            return XCTFail("the queued connection is accepted once descriptors are free; got \(result)")
        }
        Socket.close(accepted)
    }
}
