import XCTest

@testable import LB

/// The active-health state machine: ALB's transitions, thresholds, reasons and descriptions.
final class HealthTrackerTests: XCTestCase {
    private func configuration(healthy: Int = 3, unhealthy: Int = 2) -> HealthCheckConfiguration {
        var configuration = HealthCheckConfiguration()
        configuration.healthyThresholdCount = healthy
        configuration.unhealthyThresholdCount = unhealthy
        return configuration
    }

    private let ok = HealthCheckResult.success(status: 200, duration: 0.002)
    private let bad = HealthCheckResult.statusMismatch(status: 502, duration: 0.003)

    func testNewTargetIsInitialAndOnePassMakesItHealthy() {
        var tracker = TargetHealthTracker(checksEnabled: true, now: 100)
        XCTAssertEqual(tracker.state, .initial)
        XCTAssertEqual(tracker.reason, .registrationInProgress)
        XCTAssertEqual(tracker.description, "Target registration is in progress")
        XCTAssertEqual(tracker.lastStateChange, 100)

        XCTAssertTrue(tracker.record(ok, at: 101, configuration: configuration(healthy: 5)))
        XCTAssertEqual(tracker.state, .healthy)
        XCTAssertNil(tracker.reason)
        XCTAssertNil(tracker.description)
        XCTAssertEqual(tracker.lastStateChange, 101)
    }

    func testInitialTargetBecomesUnhealthyAfterTheUnhealthyThreshold() {
        var tracker = TargetHealthTracker(checksEnabled: true, now: 0)
        let thresholds = configuration(unhealthy: 3)
        XCTAssertFalse(tracker.record(.timeout, at: 1, configuration: thresholds))
        XCTAssertEqual(tracker.state, .initial)
        XCTAssertEqual(tracker.reason, .initialHealthChecking)
        XCTAssertEqual(tracker.description, "Initial health checks in progress")
        XCTAssertFalse(tracker.record(.timeout, at: 2, configuration: thresholds))
        XCTAssertTrue(tracker.record(.timeout, at: 3, configuration: thresholds))
        XCTAssertEqual(tracker.state, .unhealthy)
        XCTAssertEqual(tracker.reason, .timeout)
        XCTAssertEqual(tracker.description, "Request timed out")
        XCTAssertEqual(tracker.lastStateChange, 3)
    }

    func testHealthyToUnhealthyAndBackWithConfiguredThresholds() {
        let thresholds = configuration(healthy: 3, unhealthy: 2)
        var tracker = TargetHealthTracker(checksEnabled: true, now: 0)
        tracker.record(ok, at: 1, configuration: thresholds)
        XCTAssertEqual(tracker.state, .healthy)

        // One failure is below the threshold; a pass in between resets the count.
        XCTAssertFalse(tracker.record(bad, at: 2, configuration: thresholds))
        XCTAssertEqual(tracker.state, .healthy)
        XCTAssertNil(tracker.reason)
        tracker.record(ok, at: 3, configuration: thresholds)
        XCTAssertFalse(tracker.record(bad, at: 4, configuration: thresholds))
        XCTAssertTrue(tracker.record(.statusMismatch(status: 503, duration: 0.001), at: 5, configuration: thresholds))
        XCTAssertEqual(tracker.state, .unhealthy)
        XCTAssertEqual(tracker.reason, .responseCodeMismatch)
        XCTAssertEqual(tracker.description, "Health checks failed with these codes: [502,503]")

        // Coming back needs `healthyThresholdCount` passes in a row.
        XCTAssertFalse(tracker.record(ok, at: 6, configuration: thresholds))
        XCTAssertFalse(tracker.record(ok, at: 7, configuration: thresholds))
        XCTAssertEqual(tracker.state, .unhealthy)
        XCTAssertFalse(
            tracker.record(
                .connectionFailed(errno: 111, reason: "connect: Connection refused"), at: 8, configuration: thresholds))
        XCTAssertEqual(tracker.reason, .failedHealthChecks, "an unhealthy target's reason follows its latest failure")
        XCTAssertEqual(tracker.description, "Health checks failed (connect: Connection refused)")
        XCTAssertFalse(tracker.record(ok, at: 9, configuration: thresholds))
        XCTAssertFalse(tracker.record(ok, at: 10, configuration: thresholds))
        XCTAssertTrue(tracker.record(ok, at: 11, configuration: thresholds))
        XCTAssertEqual(tracker.state, .healthy)
        XCTAssertEqual(tracker.lastStateChange, 11)
    }

    func testReasonsOfEachFailureKind() {
        let cases: [(HealthCheckResult, TargetHealthReason, String)] = [
            (
                .statusMismatch(status: 404, duration: 0.1), .responseCodeMismatch,
                "Health checks failed with these codes: [404]"
            ),
            (.timeout, .timeout, "Request timed out"),
            (
                .connectionFailed(errno: 104, reason: "read: Connection reset by peer"), .failedHealthChecks,
                "Health checks failed (read: Connection reset by peer)"
            ),
            (
                .malformedResponse(reason: "bad status line"), .failedHealthChecks,
                "Health checks failed (bad status line)"
            ),
            (
                .internalError(reason: "socket: Too many open files"), .internalError,
                "Health checks failed due to an internal error (socket: Too many open files)"
            ),
        ]
        for (result, reason, description) in cases {
            var tracker = TargetHealthTracker(checksEnabled: true, now: 0)
            tracker.record(result, at: 1, configuration: configuration())
            tracker.record(result, at: 2, configuration: configuration())
            XCTAssertEqual(tracker.state, .unhealthy)
            XCTAssertEqual(tracker.reason, reason)
            XCTAssertEqual(tracker.reason?.rawValue.hasPrefix(reason == .internalError ? "Elb." : "Target."), true)
            XCTAssertEqual(tracker.description, description)
        }
    }

    func testReasonCodesAreALBs() {
        XCTAssertEqual(
            TargetHealthReason.allCases.map(\.rawValue).sorted(),
            [
                "Elb.InitialHealthChecking", "Elb.InternalError", "Elb.RegistrationInProgress",
                "Target.DeregistrationInProgress", "Target.FailedHealthChecks", "Target.HealthCheckDisabled",
                "Target.InvalidState", "Target.NotInUse", "Target.NotRegistered", "Target.ResponseCodeMismatch",
                "Target.Timeout",
            ])
        XCTAssertEqual(
            TargetHealthState.allCases.map(\.rawValue),
            ["initial", "healthy", "unhealthy", "unused", "draining", "unavailable"])
    }

    func testHistoryKeepsTheLastChecksInOrder() {
        var tracker = TargetHealthTracker(checksEnabled: true, now: 0, historyCapacity: 4)
        for second in 1...6 {
            let result: HealthCheckResult =
                second.isMultiple(of: 2) ? .success(status: 200, duration: Double(second) / 100) : .timeout
            tracker.record(result, at: Double(second), configuration: configuration())
        }
        let records = tracker.history.records
        XCTAssertEqual(records.map(\.time), [3, 4, 5, 6])
        XCTAssertEqual(records.map(\.passed), [false, true, false, true])
        XCTAssertEqual(records.map(\.status), [nil, 200, nil, 200])
        XCTAssertEqual(records[3].duration, 0.06)
        XCTAssertEqual(tracker.history.last?.time, 6)
        XCTAssertEqual(HealthCheckHistory.defaultCapacity, 20)
    }

    func testDrainingIgnoresResults() {
        var tracker = TargetHealthTracker(checksEnabled: true, now: 0)
        tracker.record(ok, at: 1, configuration: configuration())
        XCTAssertTrue(tracker.beginDraining(at: 2))
        XCTAssertEqual(tracker.state, .draining)
        XCTAssertEqual(tracker.reason, .deregistrationInProgress)
        XCTAssertEqual(tracker.description, "Target deregistration is in progress")
        XCTAssertFalse(tracker.record(bad, at: 3, configuration: configuration()))
        XCTAssertFalse(tracker.record(bad, at: 4, configuration: configuration()))
        XCTAssertEqual(tracker.state, .draining)
        XCTAssertEqual(tracker.history.count, 1)
    }

    func testDisabledChecksMakeTargetsUnavailableAndRoutable() {
        var tracker = TargetHealthTracker(checksEnabled: false, now: 0)
        XCTAssertEqual(tracker.state, .unavailable)
        XCTAssertEqual(tracker.reason, .healthCheckDisabled)
        XCTAssertTrue(tracker.state.receivesTraffic)
        XCTAssertFalse(tracker.record(bad, at: 1, configuration: configuration()))
        XCTAssertEqual(tracker.state, .unavailable)

        XCTAssertTrue(tracker.setChecksEnabled(true, at: 2))
        XCTAssertEqual(tracker.state, .initial)
        XCTAssertEqual(tracker.reason, .registrationInProgress)
        XCTAssertTrue(tracker.setChecksEnabled(false, at: 3))
        XCTAssertEqual(tracker.state, .unavailable)
        XCTAssertFalse(TargetHealthState.initial.receivesTraffic)
        XCTAssertFalse(TargetHealthState.draining.receivesFailOpenTraffic)
    }
}
