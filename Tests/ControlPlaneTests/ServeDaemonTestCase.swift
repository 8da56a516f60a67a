import WharfTestSupport
import XCTest

/// An end-to-end test case with a fresh `wharf serve` harness per test (not started: each test
/// starts it with its own configuration), removed afterwards with everything it ran; the
/// daemon's log is printed when the test failed. Registries a test starts with
/// `startRegistry` are removed too.
class ServeDaemonTestCase: XCTestCase {
    /// The running test's harness; nil outside a test.
    private(set) var daemon: ServeDaemon?
    /// The registries the running test started.
    private var registries: [LocalRegistry] = []

    override func setUpWithError() throws {
        try super.setUpWithError()
        daemon = try ServeDaemon()
    }

    override func tearDown() {
        for registry in registries { registry.remove() }
        registries = []
        if let daemon, (testRun?.failureCount ?? 0) > 0 { print("wharf serve log:\n\(daemon.log())") }
        daemon?.remove()
        daemon = nil
        super.tearDown()
    }

    /// Starts a `docker-registry` on loopback as `configuration` says, removed after the test.
    ///
    /// - Throws: `XCTSkip` when the tools it needs are not installed; `LocalRegistry`'s
    ///   start failures.
    func startRegistry(_ configuration: LocalRegistry.Configuration = LocalRegistry.Configuration()) throws -> LocalRegistry {
        let missingTools = configuration.missingTools
        guard missingTools.isEmpty else {
            throw XCTSkip("\(missingTools.joined(separator: ", ")) not installed (scripts/setup.sh installs them)")
        }
        let registry = try LocalRegistry(configuration)
        registries.append(registry)
        return registry
    }
}
