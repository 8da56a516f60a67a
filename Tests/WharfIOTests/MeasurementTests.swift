import Foundation
import WharfIO
import XCTest

/// Figures for the report: event round trips on one loop, plain and TLS, and the memory an
/// idle TLS connection holds. Sizes come from `WHARFIO_MEASURE_ROUNDS` / `WHARFIO_MEASURE_CONNECTIONS`.
final class MeasurementTests: XCTestCase {
    private static func setting(_ name: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? value
    }

    /// Ping-pong of one byte between two sockets on one loop: each round trip is two read
    /// events, each a `recv` and a `send`. The handlers use preallocated buffers, so any
    /// allocation per event would be WharfIO's.
    func testPlainEventRoundTrips() throws {
        let rounds = Self.setting("WHARFIO_MEASURE_ROUNDS", default: 20_000)
        let loop = try EventLoop()
        let (server, client) = try connectedPair()
        defer {
            Socket.close(server)
            Socket.close(client)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { buffer.deallocate() }
        buffer[0] = 42
        var completed = 0
        var failures = 0
        let one = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<1])
        let serverWatcher = IOWatcher(loop: loop, fd: server, events: .read) { _ in
            guard case .bytes(1) = Socket.read(server, into: buffer) else { failures += 1; return }
            if Socket.write(server, from: one) != .bytes(1) { failures += 1 }
        }
        let clientWatcher = IOWatcher(loop: loop, fd: client, events: .read) { _ in
            guard case .bytes(1) = Socket.read(client, into: buffer) else { failures += 1; return }
            completed += 1
            if completed == rounds { loop.stop(); return }
            if Socket.write(client, from: one) != .bytes(1) { failures += 1 }
        }
        serverWatcher.start()
        clientWatcher.start()
        let start = DispatchTime.now()
        XCTAssertEqual(Socket.write(client, from: one), .bytes(1))
        XCTAssertTrue(runLoop(loop, timeout: 60))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        XCTAssertEqual(completed, rounds)
        XCTAssertEqual(failures, 0)
        print("measure: plain: \(rounds) round trips in \(String(format: "%.3f", seconds)) s = "
            + "\(Int(Double(rounds) / seconds)) round trips/s, \(Int(seconds / Double(rounds * 2) * 1e9)) ns per event")
    }

    /// The same ping-pong through TLS 1.3 streams.
    func testTLSEventRoundTrips() throws {
        let rounds = Self.setting("WHARFIO_MEASURE_ROUNDS", default: 20_000)
        let releaseBuffers = ProcessInfo.processInfo.environment["WHARFIO_MEASURE_KEEP_BUFFERS"] == nil
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let context = try TLSServerContext(certificates: [certificates.source("b")], releaseIdleBuffers: releaseBuffers)
        let pair = try TLSPair(server: context, client: try TLSClientContext(verifyPeer: false), serverName: "b.test")
        defer { pair.close() }
        let handshake = pump.handshake(pair.server, pair.client)
        XCTAssertEqual(handshake?.server, .done)
        XCTAssertEqual(handshake?.client, .done)
        // Let the client take in the session tickets first.
        XCTAssertEqual(pump.transfer([1], from: pair.server, to: pair.client), [1])

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { buffer.deallocate() }
        buffer[0] = 42
        let one = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<1])
        var completed = 0
        var failures = 0
        let server = pair.server
        let client = pair.client
        let serverWatcher = IOWatcher(loop: loop, fd: server.fd, events: .read) { _ in
            guard case .bytes(1) = server.read(into: buffer) else { return }
            if server.write(from: one) != .bytes(1) { failures += 1 }
        }
        let clientWatcher = IOWatcher(loop: loop, fd: client.fd, events: .read) { _ in
            guard case .bytes(1) = client.read(into: buffer) else { return }
            completed += 1
            if completed == rounds { loop.stop(); return }
            if client.write(from: one) != .bytes(1) { failures += 1 }
        }
        serverWatcher.start()
        clientWatcher.start()
        let start = DispatchTime.now()
        XCTAssertEqual(client.write(from: one), .bytes(1))
        XCTAssertTrue(runLoop(loop, timeout: 60))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        XCTAssertEqual(completed, rounds)
        XCTAssertEqual(failures, 0)
        print("measure: tls (release buffers \(releaseBuffers)): \(rounds) round trips in \(String(format: "%.3f", seconds)) s = "
            + "\(Int(Double(rounds) / seconds)) round trips/s, \(Int(seconds / Double(rounds * 2) * 1e9)) ns per event")
    }

    /// Resident memory added by idle, handshaken TLS 1.3 connections (after data has moved
    /// once), per server + client pair: both ends live in this process.
    func testIdleTLSConnectionMemory() throws {
        let count = Self.setting("WHARFIO_MEASURE_CONNECTIONS", default: 500)
        let releaseBuffers = ProcessInfo.processInfo.environment["WHARFIO_MEASURE_KEEP_BUFFERS"] == nil
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let context = try TLSServerContext(certificates: [certificates.source("b")], releaseIdleBuffers: releaseBuffers)
        let clientContext = try TLSClientContext(verifyPeer: false)
        var pairs: [TLSPair] = []
        pairs.reserveCapacity(count)
        defer { pairs.forEach { $0.close() } }

        // Warm up (first handshake loads ciphers and tables), then measure.
        let warmUp = try TLSPair(server: context, client: clientContext, serverName: "b.test")
        _ = pump.handshake(warmUp.server, warmUp.client)
        _ = pump.transfer([7], from: warmUp.server, to: warmUp.client)
        warmUp.close()
        let before = try residentBytes()
        for _ in 0..<count {
            let pair = try TLSPair(server: context, client: clientContext, serverName: "b.test")
            pairs.append(pair)
            let results = pump.handshake(pair.server, pair.client)
            XCTAssertEqual(results?.server, .done)
            XCTAssertEqual(pump.transfer([7], from: pair.server, to: pair.client), [7])
        }
        let perPair = (try residentBytes() - before) / count
        print("measure: idle TLS 1.3 connections (release buffers \(releaseBuffers)): \(perPair) B resident per "
            + "server+client pair over \(count) pairs")
        if releaseBuffers {
            // Holding the record buffers would cost ~34 KB per end; released, a pair stays well under that.
            XCTAssertLessThan(perPair, 52 * 1024)
        }
    }

    private func residentBytes() throws -> Int {
        let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        let pages = try XCTUnwrap(fields.count > 1 ? Int(fields[1]) : nil)
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
