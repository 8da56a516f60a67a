import XCTest

/// An end-to-end test case with a fresh `wharf serve` harness per test (not started: each test
/// starts it with its own configuration), removed afterwards with everything it ran; the
/// daemon's log is printed when the test failed.
class ServeDaemonTestCase: XCTestCase {
    /// The running test's harness; nil outside a test.
    private(set) var daemon: ServeDaemon?

    override func setUpWithError() throws {
        try super.setUpWithError()
        daemon = try ServeDaemon()
    }

    override func tearDown() {
        if let daemon, (testRun?.failureCount ?? 0) > 0 { print("wharf serve log:\n\(daemon.log())") }
        daemon?.remove()
        daemon = nil
        super.tearDown()
    }
}
