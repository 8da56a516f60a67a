import Foundation
import WharfIO
import XCTest

final class TLSTests: XCTestCase {
    /// Made once for the class (RSA key generation is the slow part), removed after it.
    nonisolated(unsafe) private static var shared: Result<TestCertificates, any Error>?
    private var certificates: TestCertificates!

    override class func tearDown() {
        if case .success(let certificates) = shared { certificates.remove() }
        shared = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        if Self.shared == nil { Self.shared = Result { try TestCertificates() } }
        certificates = try Self.shared?.get()
    }

    private func serverContext(_ names: [String] = ["a", "b", "wild"]) throws -> TLSServerContext {
        try TLSServerContext(certificates: names.map(certificates.source))
    }

    /// Handshakes one connection and returns it, failing the test when it does not complete.
    private func connect(
        _ context: TLSServerContext, _ clientContext: TLSClientContext, serverName: String?, session: TLSSession? = nil,
        pump: TLSPump, file: StaticString = #filePath, line: UInt = #line
    ) throws -> TLSPair {
        let pair = try TLSPair(server: context, client: clientContext, serverName: serverName, session: session)
        let results = pump.handshake(pair.server, pair.client)
        XCTAssertEqual(results?.server, .done, file: file, line: line)
        XCTAssertEqual(results?.client, .done, file: file, line: line)
        return pair
    }

    func testServerNamesComeFromEachCertificate() throws {
        let context = try serverContext()
        XCTAssertEqual(context.serverNames, [["a.test"], ["b.test"], ["*.wild.test"]])
    }

    func testSNIPicksTheCertificate() throws {
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let context = try serverContext()
        let client = try TLSClientContext(verifyPeer: false)
        let cases: [(sni: String?, expected: String)] = [
            ("b.test", "b.test"), ("a.test", "a.test"), ("B.TEST", "b.test"),
            ("x.wild.test", "wild"), ("deep.x.wild.test", "a.test"), ("wild.test", "a.test"),
            ("unknown.test", "a.test"), (nil, "a.test"),
        ]
        for (sni, expected) in cases {
            let pair = try connect(context, client, serverName: sni, pump: pump)
            defer { pair.close() }
            XCTAssertEqual(pair.client.peerCertificateCommonName, expected, "SNI \(sni ?? "none")")
            XCTAssertEqual(pair.server.serverName, sni, "SNI \(sni ?? "none")")
            XCTAssertNil(pair.server.peerCertificateCommonName)
        }
    }

    func testVerifyingClientAcceptsTheRightNameAndRejectsAWrongOne() throws {
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let context = try serverContext()
        let verifying = try TLSClientContext(verifyPeer: true, caFile: certificates.path("b.pem"))
        let good = try connect(context, verifying, serverName: "b.test", pump: pump)
        good.close()

        // a.test's certificate is not trusted by this client.
        let bad = try TLSPair(server: context, client: verifying, serverName: "a.test")
        defer { bad.close() }
        let results = try XCTUnwrap(pump.handshake(bad.server, bad.client))
        guard case .failed(let error) = results.client, case .handshake(let message, _) = error else {
            return XCTFail("expected a verification failure, got \(results.client)")
        }
        XCTAssertTrue(message.contains("certificate verify failed"), message)
        XCTAssertTrue(message.contains("self-signed certificate"), message)
        XCTAssertNotEqual(results.server, .done)

        XCTAssertThrowsError(try TLSClientContext(verifyPeer: true, caFile: certificates.path("missing.pem"))) { error in
            guard case .loadCertificateAuthorities? = error as? TLSError else { return XCTFail("\(error)") }
        }
    }

    func testTLS12AndTLS13BothNegotiate() throws {
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let context = try serverContext()
        let modern = try TLSClientContext(verifyPeer: false)
        let tls12 = try TLSClientContext(verifyPeer: false, maximumVersion: .tls12)

        let v13 = try connect(context, modern, serverName: "b.test", pump: pump)
        defer { v13.close() }
        XCTAssertEqual(v13.server.protocolVersion, .tls13)
        XCTAssertEqual(v13.client.protocolVersion, .tls13)
        XCTAssertEqual(v13.client.cipherName?.hasPrefix("TLS_"), true)

        for (name, cipherPrefix) in [("a.test", "ECDHE-RSA-"), ("b.test", "ECDHE-ECDSA-")] {
            let v12 = try connect(context, tls12, serverName: name, pump: pump)
            defer { v12.close() }
            XCTAssertEqual(v12.server.protocolVersion, .tls12)
            XCTAssertEqual(v12.client.protocolVersion, .tls12)
            let cipher = v12.client.cipherName ?? ""
            XCTAssertTrue(cipher.hasPrefix(cipherPrefix) && (cipher.contains("GCM") || cipher.contains("CHACHA20")), cipher)
        }
    }

    func testALPNSelectsHTTP11WhenOffered() throws {
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let context = try serverContext()
        let offering = try TLSClientContext(verifyPeer: false, alpn: ["h2", "http/1.1"])
        let withALPN = try connect(context, offering, serverName: "b.test", pump: pump)
        defer { withALPN.close() }
        XCTAssertEqual(withALPN.server.negotiatedALPN, "http/1.1")
        XCTAssertEqual(withALPN.client.negotiatedALPN, "http/1.1")

        let silent = try connect(context, try TLSClientContext(verifyPeer: false), serverName: "b.test", pump: pump)
        defer { silent.close() }
        XCTAssertNil(silent.server.negotiatedALPN)

        // No overlap: the handshake goes on without ALPN.
        let h2Only = try connect(context, try TLSClientContext(verifyPeer: false, alpn: ["h2"]), serverName: "b.test", pump: pump)
        defer { h2Only.close() }
        XCTAssertNil(h2Only.client.negotiatedALPN)
    }

    func testDataBothWaysThenCloseNotify() throws {
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let pair = try connect(try serverContext(), try TLSClientContext(verifyPeer: false), serverName: "b.test", pump: pump)
        defer { pair.close() }
        let request = Array("GET / HTTP/1.1\r\nHost: b.test\r\n\r\n".utf8)
        XCTAssertEqual(pump.transfer(request, from: pair.client, to: pair.server), request)
        // Bigger than one TLS record (16 KB), so partial writes and several reads happen.
        let body = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        XCTAssertEqual(pump.transfer(body, from: pair.server, to: pair.client), body)

        XCTAssertEqual(pair.client.shutdown(), .done)
        let results = pump.run([(pair.server.fd, { [server = pair.server] in
            var buffer = [UInt8](repeating: 0, count: 64)
            return buffer.withUnsafeMutableBytes { server.read(into: $0) }
        })])
        XCTAssertEqual(results, [.closed])
    }

    func testPlainEOFIsAClose() throws {
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let pair = try connect(try serverContext(), try TLSClientContext(verifyPeer: false), serverName: "b.test", pump: pump)
        defer { pair.close() }
        XCTAssertEqual(Socket.shutdownWrite(pair.client.fd), 0)
        let results = pump.run([(pair.server.fd, { [server = pair.server] in
            var buffer = [UInt8](repeating: 0, count: 64)
            return buffer.withUnsafeMutableBytes { server.read(into: $0) }
        })])
        XCTAssertEqual(results, [.closed])
    }

    func testPlaintextClientFailsTheHandshake() throws {
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let (serverFD, clientFD) = try connectedPair()
        defer {
            Socket.close(serverFD)
            Socket.close(clientFD)
        }
        let server = try TLSStream(context: try serverContext(), fd: serverFD)
        writeAll(clientFD, Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        let results = try XCTUnwrap(pump.run([(serverFD, server.handshake)]))
        guard case .failed(.handshake(let message, _)) = results[0] else { return XCTFail("\(results)") }
        XCTAssertTrue(message.contains("http request") || message.contains("wrong version number"), message)
    }

    func testSessionResumptionWithTLS13AndTLS12() throws {
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let context = try serverContext()
        for maximum in [TLSVersion.tls13, .tls12] {
            let client = try TLSClientContext(verifyPeer: false, alpn: ["http/1.1"], maximumVersion: maximum)
            let first = try connect(context, client, serverName: "b.test", pump: pump)
            XCTAssertFalse(first.client.isResumed)
            // TLS 1.3 tickets arrive after the handshake: the client reads them with the data.
            XCTAssertEqual(pump.transfer(Array("hi".utf8), from: first.server, to: first.client), Array("hi".utf8))
            let session = try XCTUnwrap(first.client.resumableSession(), "\(maximum)")
            XCTAssertEqual(session.protocolVersion, maximum)
            first.close()

            let second = try connect(context, client, serverName: "b.test", session: session, pump: pump)
            defer { second.close() }
            XCTAssertTrue(second.client.isResumed, "\(maximum)")
            XCTAssertTrue(second.server.isResumed, "\(maximum)")
            XCTAssertEqual(second.client.protocolVersion, maximum)
            XCTAssertEqual(second.client.negotiatedALPN, "http/1.1")
        }
    }

    func testReloadSwapsCertificatesForNewConnectionsOnly() throws {
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let context = try serverContext(["a"])
        let client = try TLSClientContext(verifyPeer: false)

        let before = try connect(context, client, serverName: "b.test", pump: pump)
        before.close()
        XCTAssertEqual(before.client.peerCertificateCommonName, "a.test")

        // Created before the reload, handshaking after it: keeps the old certificates.
        let pending = try TLSPair(server: context, client: client, serverName: "b.test")
        defer { pending.close() }
        try context.reload(certificates: [certificates.source("b"), certificates.source("a")])
        XCTAssertEqual(context.serverNames, [["b.test"], ["a.test"]])
        let pendingResults = pump.handshake(pending.server, pending.client)
        XCTAssertEqual(pendingResults?.client, .done)
        XCTAssertEqual(pending.client.peerCertificateCommonName, "a.test")

        let after = try connect(context, client, serverName: nil, pump: pump)
        after.close()
        XCTAssertEqual(after.client.peerCertificateCommonName, "b.test")
        let named = try connect(context, client, serverName: "a.test", pump: pump)
        named.close()
        XCTAssertEqual(named.client.peerCertificateCommonName, "a.test")
    }

    func testBadReloadThrowsAndKeepsTheOldCertificates() throws {
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let context = try serverContext(["b"])
        let client = try TLSClientContext(verifyPeer: false)

        let missing = TLSCertificateSource(certificatePath: certificates.path("missing.pem"), privateKeyPath: certificates.path("a.key"))
        XCTAssertThrowsError(try context.reload(certificates: [certificates.source("a"), missing])) { error in
            guard case .loadCertificate(let path, let message)? = error as? TLSError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, missing.certificatePath)
            XCTAssertFalse(message.isEmpty)
            XCTAssertTrue("\(error)".contains("SSL_CTX_use_certificate_chain_file"))
        }
        let mismatched = TLSCertificateSource(certificatePath: certificates.path("a.pem"), privateKeyPath: certificates.path("b.key"))
        XCTAssertThrowsError(try context.reload(certificates: [mismatched])) { error in
            guard case .privateKeyMismatch? = error as? TLSError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try context.reload(certificates: [])) { error in
            XCTAssertEqual(error as? TLSError, .noCertificates)
        }
        XCTAssertEqual(context.serverNames, [["b.test"]])
        let pair = try connect(context, client, serverName: "a.test", pump: pump)
        pair.close()
        XCTAssertEqual(pair.client.peerCertificateCommonName, "b.test")
    }

    func testReloadFromAnotherThreadWhileTheLoopAcceptsConnections() throws {
        let loop = try EventLoop()
        let pump = TLSPump(loop: loop)
        let context = try serverContext(["a"])
        let client = try TLSClientContext(verifyPeer: false)
        let reloads = 20
        let reloader = try EventLoop.spawnThread(name: "wharf-reloader") { [certificates = certificates!] in
            for index in 0..<reloads {
                try? context.reload(certificates: [certificates.source(index % 2 == 0 ? "b" : "a")])
            }
        }
        var seen = Set<String>()
        for _ in 0..<20 {
            let pair = try connect(context, client, serverName: nil, pump: pump)
            pair.close()
            seen.insert(pair.client.peerCertificateCommonName ?? "none")
        }
        reloader.join()
        XCTAssertTrue(seen.isSubset(of: ["a.test", "b.test"]), "\(seen)")
        // 20 reloads, the last to "a".
        let last = try connect(context, client, serverName: nil, pump: pump)
        last.close()
        XCTAssertEqual(last.client.peerCertificateCommonName, "a.test")
    }

    /// `openssl s_client` as the peer: a server TLSStream on its own loop thread.
    func testHandshakeWithOpenSSLSClient() throws {
        let context = try serverContext()
        let listener = try LoopbackListener()
        defer { listener.close() }
        let worker = try EventLoopThread(name: "wharf-tls-test")
        defer { worker.stopAndJoin() }
        let loop = worker.loop
        worker.loop.execute {
            // Lives on the loop thread until the connection is done.
            final class Connection {
                var stream: TLSStream?
                var watcher: IOWatcher?
                var received: [UInt8] = []
                var replied = false
            }
            let connection = Connection()
            var acceptor: IOWatcher?
            acceptor = IOWatcher(loop: loop, fd: listener.fd, events: .read) { _ in
                guard case .accepted(let fd, _) = Socket.accept(listener.fd), let stream = try? TLSStream(context: context, fd: fd) else { return }
                acceptor = nil
                connection.stream = stream
                connection.watcher = IOWatcher(loop: loop, fd: fd, events: .read) { _ in
                    guard let stream = connection.stream else { return }
                    if !stream.isHandshakeComplete {
                        switch stream.handshake() {
                        case .done: break
                        case .wantWrite: connection.watcher?.set(events: .write); return
                        case .wantRead: connection.watcher?.set(events: .read); return
                        default: connection.watcher = nil; Socket.close(fd); return
                        }
                    }
                    var buffer = [UInt8](repeating: 0, count: 1024)
                    while case .bytes(let count) = buffer.withUnsafeMutableBytes({ stream.read(into: $0) }) {
                        connection.received += buffer[..<count]
                    }
                    if !connection.replied, connection.received.contains(UInt8(ascii: "\n")) {
                        connection.replied = true
                        let reply = Array("pong \(stream.negotiatedALPN ?? "none") \(stream.serverName ?? "none")\n".utf8)
                        _ = reply.withUnsafeBytes { stream.write(from: $0) }
                        _ = stream.shutdown()
                        connection.watcher = nil
                        connection.stream = nil
                        Socket.close(fd)
                    }
                }
                connection.watcher?.start()
            }
            acceptor?.start()
        }
        let output = try runOpenSSL(
            ["s_client", "-connect", listener.address.description, "-servername", "b.test", "-alpn", "http/1.1", "-ign_eof"],
            input: Data("ping\n".utf8))
        XCTAssertTrue(output.contains("pong http/1.1 b.test"), output)
        XCTAssertTrue(output.contains("subject=CN = b.test"), output)
        XCTAssertTrue(output.contains("ALPN protocol: http/1.1"), output)
        XCTAssertTrue(output.contains("TLSv1.3"), output)
    }
}
