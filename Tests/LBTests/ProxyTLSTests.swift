import Foundation
import LB
import WharfTestSupport
import XCTest

/// An HTTPS listener: two certificates chosen by SNI, TLS 1.2 and 1.3, ALPN `http/1.1`,
/// requests proxied to a plain-HTTP target, and certificates replaced by `reload` without a
/// restart.
final class ProxyTLSTests: ProxyTestCase {
    func testSNICertificatesTLSVersionsALPNAndCertificateReload() throws {
        let certificates = try ProxyCertificates(directory: directory)
        let backend = try startBackend("b0")
        let port = try FreePort.pick()
        var config = TestLBConfig(
            listeners: [.init(name: "secure", port: port, group: "web", https: true, certificates: [certificates.pair("a"), certificates.pair("b")])],
            groups: [.init(name: "web", targets: [(backend.port, 1)])]
        )
        config.groups[0].healthCheck.enabled = false
        let balancer = try startBalancer(config)

        // SNI picks the certificate; no SNI gets the first. Both TLS versions, ALPN http/1.1.
        for version in ["-tls1_2", "-tls1_3"] {
            let a = try sClient(port: port, serverName: "a.test", version: version, trust: certificates.certificate("a"))
            XCTAssertTrue(a.stdoutText.contains("subject=CN = a.test"), a.outputText)
            XCTAssertTrue(a.stdoutText.contains(version == "-tls1_2" ? "New, TLSv1.2" : "New, TLSv1.3"), a.outputText)
            XCTAssertTrue(a.stdoutText.contains("ALPN protocol: http/1.1"), a.outputText)
            XCTAssertTrue(a.stdoutText.contains("Verify return code: 0 (ok)"), a.outputText)
            XCTAssertTrue(a.stdoutText.contains("HTTP/1.1 200 OK"), a.outputText)
            XCTAssertTrue(a.stdoutText.contains("backend=b0 path=/tls"), a.outputText)

            let b = try sClient(port: port, serverName: "b.test", version: version, trust: certificates.certificate("b"))
            XCTAssertTrue(b.stdoutText.contains("subject=CN = b.test"), b.outputText)
            XCTAssertTrue(b.stdoutText.contains("Verify return code: 0 (ok)"), b.outputText)
            XCTAssertTrue(b.stdoutText.contains("backend=b0 path=/tls"), b.outputText)
        }
        let noSNI = try sClient(port: port, serverName: nil, version: "-tls1_3", trust: certificates.certificate("a"))
        XCTAssertTrue(noSNI.stdoutText.contains("subject=CN = a.test"), noSNI.outputText)

        // curl, verifying the chain and name: TLS 1.2 (capped) and 1.3; X-Forwarded-Proto https.
        for versionArguments in [["--tlsv1.2", "--tls-max", "1.2"], ["--tlsv1.3"]] {
            let result = try curl(port: port, host: "b.test", path: "/echo", trust: certificates.certificate("b"), extra: versionArguments)
            XCTAssertEqual(result.status, 0, result.outputText)
            XCTAssertTrue(result.stdoutText.contains("X-Forwarded-Proto: https\r\n"), result.outputText)
            XCTAssertTrue(result.stdoutText.contains("X-Forwarded-Port: \(port)\r\n"), result.outputText)
            XCTAssertTrue(result.stdoutText.hasSuffix("\n200"), result.outputText)
            XCTAssertTrue(result.stderrText.contains(versionArguments[0] == "--tlsv1.2" ? "TLSv1.2" : "TLSv1.3"), result.stderrText)
        }

        // A renewed certificate for a.test, loaded by reload: new connections get it.
        try certificates.make("a2", subject: "/CN=a.test/O=renewed", name: "a.test", key: ["-newkey", "rsa:2048"])
        var renewed = config
        renewed.listeners[0].certificates = [certificates.pair("a2"), certificates.pair("b")]
        try balancer.reload(configuration: renewed.parsed())
        let after = try sClient(port: port, serverName: "a.test", version: "-tls1_3", trust: certificates.certificate("a2"))
        XCTAssertTrue(after.stdoutText.contains("subject=CN = a.test, O = renewed"), after.outputText)
        XCTAssertTrue(after.stdoutText.contains("Verify return code: 0 (ok)"), after.outputText)
        XCTAssertTrue(after.stdoutText.contains("backend=b0 path=/tls"), after.outputText)
        let oldTrust = try curl(port: port, host: "a.test", path: "/", trust: certificates.certificate("a"), extra: [])
        XCTAssertNotEqual(oldTrust.status, 0, "the old certificate is no longer served")

        // A reload naming a missing key file is refused; the renewed certificate stays.
        var broken = renewed
        broken.listeners[0].certificates = [(certificates.certificate("a2"), directory.file("missing.key"))]
        XCTAssertThrowsError(try balancer.reload(configuration: broken.parsed())) { error in
            guard case LoadBalancerError.certificates = error else { return XCTFail("unexpected \(error)") }
        }
        let still = try sClient(port: port, serverName: "a.test", version: "-tls1_2", trust: certificates.certificate("a2"))
        XCTAssertTrue(still.stdoutText.contains("O = renewed"), still.outputText)
        XCTAssertTrue(still.stdoutText.contains("backend=b0 path=/tls"), still.outputText)
    }

    /// A body far larger than any buffer, uploaded over TLS: reading the client pauses and
    /// resumes many times, and bytes the TLS layer read ahead while reading was paused (which
    /// the socket no longer reports) still reach the target.
    func testLargeUploadOverTLSIsStreamedIntact() throws {
        let (port, certificates) = try startSecureBalancer()

        let size = ProxyBodyTests.uploadSize
        let file = directory.file("upload.bin")
        try Data(BodyPattern.bytes(count: size)).write(to: URL(fileURLWithPath: file))
        for round in 0..<2 {
            let result = try curl(
                port: port, host: "a.test", path: "/upload", trust: certificates.certificate("a"),
                extra: ["--data-binary", "@" + file, "-H", "Expect:"])
            XCTAssertEqual(result.status, 0, "round \(round): \(result.stderrText)")
            XCTAssertTrue(result.stdoutText.hasPrefix("length=\(size) "), "round \(round): \(result.stdoutText)")
            XCTAssertTrue(result.stdoutText.contains("pattern=ok\n"), "round \(round): \(result.stdoutText)")
            XCTAssertTrue(result.stdoutText.hasSuffix("\n200"), "round \(round): \(result.stdoutText)")
        }
    }

    /// Three pipelined requests sent at once over TLS: a slow GET, an upload as large as the
    /// input buffer, and a last GET. The upload fills the input buffer while the first exchange
    /// holds it, so reading pauses with the rest (the end of the body and the last request)
    /// already taken from the socket by OpenSSL's read-ahead: the socket never becomes
    /// readable again, and only the read fed when reading resumes gets those bytes.
    func testPipelinedRequestsHeldByTLSWhileReadingPausedAreServed() throws {
        // The smallest input buffer the engine uses (16 KiB): the upload below overfills it.
        let (port, certificates) = try startSecureBalancer(
            limits: [("maxRequestLineLength", 2048), ("maxHeaderFieldLength", 1024), ("maxHeadLength", 4096)])

        let bodySize = 16 * 1024
        var pipelined = Data("GET /delay?ms=300 HTTP/1.1\r\nHost: a.test\r\n\r\n".utf8)
        pipelined += Data("POST /upload HTTP/1.1\r\nHost: a.test\r\nContent-Length: \(bodySize)\r\n\r\n".utf8)
        pipelined += Data(BodyPattern.bytes(count: bodySize))
        pipelined += Data("GET /last HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n".utf8)
        let result = try Subprocess.run(
            executable: "/usr/bin/openssl",
            arguments: [
                "s_client", "-connect", "127.0.0.1:\(port)", "-servername", "a.test", "-CAfile", certificates.certificate("a"),
                "-alpn", "http/1.1", "-ign_eof", "-quiet",
            ],
            stdin: pipelined, timeLimit: 20)
        let text = result.stdoutText
        let first = text.range(of: "backend=b0 path=/delay\n")
        let upload = text.range(of: "length=\(bodySize) ")
        let last = text.range(of: "backend=b0 path=/last\n")
        XCTAssertNotNil(first, result.outputText)
        XCTAssertNotNil(upload, result.outputText)
        XCTAssertTrue(text.contains("pattern=ok\n"), result.outputText)
        XCTAssertNotNil(last, result.outputText)
        if let first, let upload, let last {
            XCTAssertTrue(first.upperBound <= upload.lowerBound && upload.upperBound <= last.lowerBound, "answered in order: \(text)")
        }
    }

    /// An HTTPS listener with certificate "a" in front of one plain-HTTP backend "b0" (no
    /// health checks); returns its port and the certificates.
    private func startSecureBalancer(limits: [(String, Int)] = []) throws -> (port: Int, certificates: ProxyCertificates) {
        let certificates = try ProxyCertificates(directory: directory)
        let backend = try startBackend("b0")
        let port = try FreePort.pick()
        var config = TestLBConfig(
            listeners: [.init(name: "secure", port: port, group: "web", https: true, certificates: [certificates.pair("a")])],
            groups: [.init(name: "web", targets: [(backend.port, 1)])]
        )
        config.groups[0].healthCheck.enabled = false
        config.limits = limits
        _ = try startBalancer(config)
        return (port, certificates)
    }

    /// One request with `openssl s_client`.
    private func sClient(port: Int, serverName: String?, version: String, trust: String) throws -> Subprocess.Result {
        var arguments = ["s_client", "-connect", "127.0.0.1:\(port)", version, "-alpn", "http/1.1", "-CAfile", trust, "-ign_eof"]
        arguments += serverName.map { ["-servername", $0] } ?? ["-noservername"]
        return try Subprocess.run(
            executable: "/usr/bin/openssl", arguments: arguments,
            stdin: Data("GET /tls HTTP/1.1\r\nHost: \(serverName ?? "test")\r\nConnection: close\r\n\r\n".utf8))
    }

    /// One request with curl, name resolved to 127.0.0.1; stdout ends with the status code.
    private func curl(port: Int, host: String, path: String, trust: String, extra: [String]) throws -> Subprocess.Result {
        try Subprocess.run(
            executable: "/usr/bin/curl",
            arguments: ["-sS", "-v", "--http1.1", "--max-time", "10", "--cacert", trust, "--resolve", "\(host):\(port):127.0.0.1", "-w", "\n%{http_code}"]
                + extra + ["https://\(host):\(port)\(path)"])
    }
}
