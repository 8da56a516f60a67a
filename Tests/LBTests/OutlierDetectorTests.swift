import XCTest

@testable import LB

/// Passive health: consecutive failures eject a target for a growing, capped time.
final class OutlierDetectorTests: XCTestCase {
    private var configuration: OutlierDetectionConfiguration {
        var configuration = OutlierDetectionConfiguration()
        configuration.consecutive5xx = 3
        configuration.consecutiveGatewayFailures = 2
        configuration.baseEjectionSeconds = 10
        configuration.maxEjectionSeconds = 25
        return configuration
    }

    func testConsecutiveServerErrorsTrip() {
        var detector = OutlierDetector()
        XCTAssertFalse(detector.record(.response(status: 500), configuration: configuration))
        XCTAssertFalse(detector.record(.response(status: 500), configuration: configuration))
        XCTAssertFalse(
            detector.record(.response(status: 200), configuration: configuration), "a success resets the count")
        XCTAssertFalse(detector.record(.response(status: 500), configuration: configuration))
        XCTAssertFalse(detector.record(.response(status: 501), configuration: configuration))
        XCTAssertTrue(detector.record(.response(status: 500), configuration: configuration))
    }

    func testGatewayFailuresTripSoonerAndNon5xxResetsThem() {
        var configuration = self.configuration
        configuration.consecutive5xx = 10
        var detector = OutlierDetector()
        XCTAssertFalse(detector.record(.connectFailed, configuration: configuration))
        XCTAssertFalse(
            detector.record(.response(status: 500), configuration: configuration), "500 is not a gateway failure")
        XCTAssertFalse(detector.record(.response(status: 503), configuration: configuration))
        XCTAssertTrue(detector.record(.timedOut, configuration: configuration))
        XCTAssertEqual(detector.consecutiveServerErrors, 4)
        XCTAssertTrue(RequestOutcome.connectionReset.isGatewayFailure)
        XCTAssertFalse(RequestOutcome.response(status: 404).isServerError)
    }

    func testAbandonedRequestsAndDisabledDetectionCountNothing() {
        var detector = OutlierDetector()
        var disabled = configuration
        disabled.enabled = false
        for _ in 0..<10 { XCTAssertFalse(detector.record(.connectFailed, configuration: disabled)) }
        for _ in 0..<10 { XCTAssertFalse(detector.record(.abandoned, configuration: configuration)) }
        XCTAssertEqual(detector.consecutiveGatewayFailures, 0)
    }

    func testEjectionGrowsWithEachEjectionAndIsCapped() {
        var detector = OutlierDetector()
        XCTAssertFalse(detector.isEjected(now: 0))
        XCTAssertEqual(detector.eject(now: 0, configuration: configuration), 10)
        XCTAssertTrue(detector.isEjected(now: 9.9))
        XCTAssertFalse(detector.isEjected(now: 10), "returns after its period")
        XCTAssertEqual(detector.eject(now: 10, configuration: configuration), 20)
        XCTAssertTrue(detector.isEjected(now: 29))
        XCTAssertEqual(detector.eject(now: 30, configuration: configuration), 25, "capped at maxEjectionSeconds")
        XCTAssertEqual(detector.timesEjected, 3)
        XCTAssertEqual(detector.consecutiveGatewayFailures, 0, "counts restart after an ejection")
    }

    func testMultiplierDecaysWhileTheTargetBehaves() {
        var detector = OutlierDetector()
        detector.eject(now: 0, configuration: configuration)  // until 10
        detector.eject(now: 10, configuration: configuration)  // until 30, multiplier 2
        // 25 s of good behaviour after returning = two base periods: multiplier 2 -> 0, then 1.
        XCTAssertEqual(detector.eject(now: 55, configuration: configuration), 10)
        XCTAssertEqual(detector.timesEjected, 1)
    }
}
