import Foundation
import XCTest
import WharfTestSupport

/// A task whose image is not on the host is pulled from a registry on first use, through
/// `wharf serve` and the real AWS CLI: a real `docker-registry` on loopback (listed insecure in
/// the daemon's `registries.json`), the busybox image pushed to it with skopeo. A wrong tag
/// stops its task with ECS's `CannotPullContainerError`.
final class ServePullTests: ServeDaemonTestCase {
    func testImagePulledOnFirstUseAndMissingTagFailsTheTask() throws {
        let registry = try startRegistry()
        let daemon = try XCTUnwrap(daemon)
        let port = registry.port
        try registry.push(layout: BusyboxImage.layout(), to: "team/busybox:1.0")

        // The daemon's store has no image at all; the registry is reachable over plain HTTP only
        // because it is listed insecure.
        try #"{"registries": {"127.0.0.1:\#(port)": {"insecure": true}}}"#
            .write(toFile: daemon.dataDirectory + "/registries.json", atomically: true, encoding: .utf8)
        try daemon.start(config: "region: us-east-1\naccountId: \"123456789012\"\n")

        let image = "127.0.0.1:\(port)/team/busybox"
        let good = try daemon.runSleeper(family: "pulled", image: image + ":1.0")
        let running = try daemon.waitForTask(good, in: ["RUNNING"], timeout: 60)
        let pullStarted = try XCTUnwrap(running["pullStartedAt"] as? Double)
        let pullStopped = try XCTUnwrap(running["pullStoppedAt"] as? Double)
        XCTAssertLessThanOrEqual(pullStarted, pullStopped)

        let bad = try daemon.runSleeper(family: "missing", image: image + ":nope")
        let stopped = try daemon.waitForTask(bad, in: ["STOPPED"], timeout: 60)
        let reason = stopped["stoppedReason"] as? String ?? ""
        XCTAssertTrue(reason.hasPrefix("CannotPullContainerError:"), reason)
        XCTAssertTrue(reason.contains("nope"), reason)

        XCTAssertEqual(try daemon.aws(["ecs", "stop-task", "--task", good]).status, 0)
    }
}
