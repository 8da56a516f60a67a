import Foundation
import LB
import Logging
import WharfTestSupport
import XCTest

/// The base of the end-to-end proxy tests: a temporary directory, backends, load balancers and
/// processes started through it are all stopped and removed in `tearDown`, whether the test
/// passed or not.
class ProxyTestCase: XCTestCase {
    private(set) var directory: TemporaryDirectory!
    private var backends: [Backend] = []
    private var balancers: [LoadBalancer] = []
    private var processes: [ManagedProcess] = []

    override func setUpWithError() throws {
        try super.setUpWithError()
        directory = try TemporaryDirectory(prefix: "wharf-lbtests")
    }

    override func tearDown() {
        for balancer in balancers { balancer.shutdown(grace: 0.2) }
        for process in processes { process.kill() }
        for backend in backends { backend.kill() }
        balancers = []
        processes = []
        backends = []
        directory?.remove()
        super.tearDown()
    }

    // MARK: Starting things

    /// Starts a backend process named `name`.
    func startBackend(_ name: String, health: Int = 200) throws -> Backend {
        let backend = try Backend(name: name, directory: directory, health: health)
        backends.append(backend)
        return backend
    }

    /// Starts `count` backends named `b0`, `b1`, ...
    func startBackends(_ count: Int) throws -> [Backend] {
        try (0..<count).map { try startBackend("b\($0)") }
    }

    /// Starts a load balancer in this process with `config`; `prepare` runs before it starts
    /// (to add application listeners).
    func startBalancer(_ config: TestLBConfig, prepare: (LoadBalancer) throws -> Void = { _ in }) throws -> LoadBalancer {
        var logger = Logger(label: "wharf.lb.test")
        logger.logLevel = .warning
        let balancer = LoadBalancer(configuration: try config.parsed(), logger: logger)
        balancers.append(balancer)
        try prepare(balancer)
        try balancer.start()
        return balancer
    }

    /// Starts a process that `tearDown` kills.
    func startProcess(name: String, executable: String, arguments: [String]) throws -> ManagedProcess {
        let process = try ManagedProcess(name: name, executable: executable, arguments: arguments, directory: directory)
        processes.append(process)
        return process
    }

    // MARK: Waiting

    /// Waits until every target of `group` is in `state` (the first health check passes within
    /// a few milliseconds of `start()`).
    func waitUntil(_ balancer: LoadBalancer, group: String = "web", allAre state: TargetHealthState, timeout: Double = 8, file: StaticString = #filePath, line: UInt = #line) throws {
        let reached = try eventually(timeout: timeout) {
            let targets = try balancer.registry.describeTargetHealth(group: group)
            return !targets.isEmpty && targets.allSatisfy { $0.state == state }
        }
        if !reached {
            let states = (try? balancer.registry.describeTargetHealth(group: group).map { "\($0.port): \($0.state) \($0.reason?.rawValue ?? "")" }) ?? []
            XCTFail("targets of \(group) did not all become \(state): \(states)", file: file, line: line)
        }
    }

    /// The health of the target of `group` listening on `port`.
    func health(_ balancer: LoadBalancer, group: String = "web", port: Int) throws -> TargetHealthDescription {
        try XCTUnwrap(try balancer.registry.describeTargetHealth(group: group).first { $0.port == port }, "no target on port \(port) in \(group)")
    }

    /// A statistics snapshot once the workers have merged what they counted (they do every 0.25 s).
    func settledStatistics(_ balancer: LoadBalancer, until condition: (LBStatisticsSnapshot) -> Bool = { _ in true }) -> LBStatisticsSnapshot {
        var snapshot = balancer.statistics.snapshot(now: balancer.now())
        eventually(timeout: 3) {
            snapshot = balancer.statistics.snapshot(now: balancer.now())
            return condition(snapshot)
        }
        return snapshot
    }
}
