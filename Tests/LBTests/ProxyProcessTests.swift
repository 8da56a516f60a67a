import Foundation
import Glibc
import LB
import WharfTestSupport
import XCTest

/// `wharf lb --config FILE` as users run it: serving, SIGHUP reloads (good and bad), SIGTERM
/// with a request in flight, a bad file refused with the field and line, and the process's
/// memory while a client stops reading a large response.
final class ProxyProcessTests: ProxyTestCase {
    /// The `wharf` executable next to the test bundle (`swift build --build-tests` builds it),
    /// or `WHARF_BINARY`.
    private func wharfBinary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["WHARF_BINARY"] { return path }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [bundle.deletingLastPathComponent(), bundle.deletingLastPathComponent().deletingLastPathComponent()]
            .map { $0.appendingPathComponent("wharf").path }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("the wharf executable is not built next to the tests (looked at \(candidates)); build it or set WHARF_BINARY")
        }
        return found
    }

    private func startLB(config: TestLBConfig, file: String = "lb.yaml") throws -> ManagedProcess {
        let path = try directory.write(file, config.yaml)
        let process = try startProcess(name: "wharf-lb", executable: try wharfBinary(), arguments: ["lb", "--config", path])
        let port = config.listeners[0].port
        let serving = eventually(timeout: 15, interval: 0.05) {
            !process.isRunning || ((try? TestRequest.fetch(port: port, "/ready", timeout: 2))?.status == 200)
        }
        XCTAssertTrue(serving && process.isRunning, "wharf lb did not start serving: \(process.stderrText) \(process.stdoutText)")
        return process
    }

    func testServesReloadsOnSIGHUPAndStopsGracefullyOnSIGTERM() throws {
        let backends = try startBackends(2)
        let port = try FreePort.pick()
        var config = TestLBConfig.simple(port: port, targets: [backends[0].port])
        config.groups[0].healthCheck.enabled = false
        let lb = try startLB(config: config)
        for _ in 0..<3 { XCTAssertEqual(try TestRequest.fetch(port: port, "/one").backend, "b0") }

        // SIGHUP re-reads the file: the second target joins.
        var next = config
        next.groups[0].targets = backends.map { ($0.port, 1) }
        try directory.write("lb.yaml", next.yaml)
        lb.send(SIGHUP)
        XCTAssertTrue(eventually(timeout: 5) { (try? TestRequest.fetch(port: port, "/two"))?.backend == "b1" }, "the reloaded target gets traffic")

        // Signals in quick succession: each is taken by the signal-waiting thread, none may
        // reach a worker thread (where SIGHUP's default action would end the process).
        for _ in 0..<20 {
            lb.send(SIGHUP)
            lb.send(SIGHUP)
            Thread.sleep(forTimeInterval: 0.01)
        }
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertTrue(lb.isRunning, "SIGHUPs in a row must not kill wharf lb: exit \(String(describing: lb.waitForExit(timeout: 0)))")

        // A file that changes the listener's port: the reload is refused, the LB keeps serving.
        var bad = next
        bad.listeners[0].port = try FreePort.pick()
        try directory.write("lb.yaml", bad.yaml)
        lb.send(SIGHUP)
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertTrue(lb.isRunning)
        XCTAssertEqual(try TestRequest.fetch(port: port, "/three").status, 200)
        XCTAssertThrowsError(try TestConnection(port: bad.listeners[0].port, timeout: 1))

        // SIGTERM with a request in flight: it completes, then the process exits 0.
        let slowResult = Shared<TestResponse?>(nil)
        let slow = BackgroundTask {
            let response = try? TestRequest.fetch(port: port, "/delay?ms=1000")
            slowResult.withLock { $0 = response }
        }
        XCTAssertTrue(try eventually(timeout: 5) {
            try backends.map { try $0.stats().paths["/delay"] ?? 0 }.reduce(0, +) == 1
        })
        lb.send(SIGTERM)
        XCTAssertTrue(slow.wait(timeout: 10))
        XCTAssertEqual(slowResult.value?.status, 200, "the in-flight request completed")
        XCTAssertEqual(lb.waitForExit(timeout: 10), 0, lb.stderrText)
        let output = lb.stdoutText
        XCTAssertTrue(output.contains("wharf lb: reloaded"), output)
        XCTAssertTrue(output.contains("reload refused, keeping the running configuration"), output)
        XCTAssertTrue(output.contains("listeners[0]"), output)
        XCTAssertTrue(output.contains("wharf lb: shutting down"), output)
        XCTAssertThrowsError(try TestConnection(port: port, timeout: 1), "nothing listens after the exit")
    }

    func testBadConfigurationFileExitsNonZeroNamingFieldAndLine() throws {
        let path = try directory.write("bad.yaml", """
            listeners:
              - port: 8080
                defaultTargetGroup: web
            targetGroups:
              - name: web
                healthCheck:
                  intervalSeconds: 1
            """)
        let process = try startProcess(name: "wharf-lb-bad", executable: try wharfBinary(), arguments: ["lb", "--config", path])
        let status = process.waitForExit(timeout: 15)
        XCTAssertNotNil(status)
        XCTAssertNotEqual(status, 0)
        let errors = process.stderrText
        XCTAssertTrue(errors.contains("bad.yaml:7: targetGroups[0].healthCheck.intervalSeconds"), errors)
        XCTAssertTrue(errors.contains("between 2 and 300"), "names the allowed range: \(errors)")
    }

    /// Back-pressure measured on the process: a client that stops reading a 64 MB response must
    /// not make the load balancer buffer it (its resident memory stays within a few buffers).
    func testStalledReaderDoesNotGrowTheProcessMemory() throws {
        let backend = try startBackend("b0")
        let port = try FreePort.pick()
        var config = TestLBConfig.simple(port: port, targets: [backend.port], workers: 1)
        config.groups[0].healthCheck.enabled = false
        let lb = try startLB(config: config)
        // Warm up (buffers, pools, code paths) before the baseline.
        for _ in 0..<3 { XCTAssertEqual(try TestRequest.fetch(port: port, "/large?bytes=4000000").body.count, 4_000_000) }
        let baseline = try XCTUnwrap(lb.residentKilobytes)

        let size = 64 * 1024 * 1024
        let connection = try TestConnection(port: port, timeout: 20)
        try connection.send(TestRequest.get("/large?bytes=\(size)"))
        XCTAssertEqual(try connection.readHead().status, 200)
        var peak = baseline
        for _ in 0..<10 {
            Thread.sleep(forTimeInterval: 0.2)
            peak = max(peak, try XCTUnwrap(lb.residentKilobytes))
        }
        let growth = peak - baseline
        // Kernel socket buffers are not in the RSS; 64 MB buffered in the process would be.
        XCTAssertLessThan(growth, 8 * 1024, "resident memory grew by \(growth) KiB while the client did not read (baseline \(baseline) KiB)")
        let body = try connection.read(count: size)
        XCTAssertNil(BodyPattern.firstMismatch(in: body))
        print("wharf lb RSS: baseline \(baseline) KiB, peak while the reader stalled \(peak) KiB (+\(growth) KiB) for a 64 MiB response")
    }
}
