import Foundation
import Runtime
import XCTest

/// The basic path: a busybox httpd task in awsvpc mode answers on its own IP, and stopping it
/// leaves nothing behind.
final class SmokeTests: XCTestCase {
    var fixture: RuntimeFixture!

    override func setUpWithError() throws { fixture = try RuntimeFixture() }
    override func tearDown() {
        fixture?.tearDown()
        // XCTest keeps every test case object until the run ends: the runtime (its netlink
        // sockets, inotify instances and threads) goes now.
        fixture = nil
    }

    func testHTTPServerReachableAtTaskIP() throws {
        let status = try fixture.launch(RuntimeFixture.webServer)
        XCTAssertEqual(status.lastStatus, "RUNNING")
        let address = try XCTUnwrap(status.address)
        XCTAssertEqual(pollHTTP(address), "hello from wharf busybox\n")
        try fixture.runtime.stop(status.id)
        let stopped = try fixture.runtime.wait(status.id, timeout: 10)
        XCTAssertEqual(stopped.stoppedReason, "Task stopped by user")
        XCTAssertEqual(stopped.containers.first?.exitCode, 143, "init forwards SIGTERM; httpd dies of it")
        XCTAssertEqual(fixture.leftovers(), [])
    }
}
