import Dashboard
import XCTest

/// Task counts kept for the chart: change points only, bounded in time and count.
final class TaskCountHistoryTests: XCTestCase {
    func testCountsInForceAtATime() {
        let history = TaskCountHistory()
        history.record(service: "demo/web", running: 1, desired: 1, at: 100)
        history.record(service: "demo/web", running: 1, desired: 1, at: 150)
        history.record(service: "demo/web", running: 2, desired: 3, at: 200)
        XCTAssertNil(history.counts(service: "demo/web", at: 99))
        XCTAssertEqual(history.counts(service: "demo/web", at: 100)?.running, 1)
        XCTAssertEqual(history.counts(service: "demo/web", at: 199)?.desired, 1)
        XCTAssertEqual(history.counts(service: "demo/web", at: 200)?.running, 2)
        XCTAssertEqual(history.counts(service: "demo/web", at: 10_000)?.desired, 3)
        XCTAssertNil(history.counts(service: "demo/other", at: 200))
        history.remove(service: "demo/web")
        XCTAssertNil(history.counts(service: "demo/web", at: 200))
    }

    func testOldPointsAreDroppedButTheWindowStartIsKept() {
        let history = TaskCountHistory(retentionSeconds: 100, maximumPointsPerService: 1000)
        for second in 0..<50 {
            history.record(service: "s", running: second % 2, desired: 1, at: Double(second))
        }
        history.record(service: "s", running: 5, desired: 5, at: 200)
        // Only the last point before the horizon (t = 100) survives: it held at the window's start.
        XCTAssertNil(history.counts(service: "s", at: 48))
        XCTAssertEqual(history.counts(service: "s", at: 150)?.running, 1)
        XCTAssertEqual(history.counts(service: "s", at: 200)?.running, 5)
    }

    func testPointsPerServiceAreBounded() {
        let history = TaskCountHistory(retentionSeconds: 1_000_000, maximumPointsPerService: 10)
        for second in 0..<100 {
            history.record(service: "s", running: second, desired: second, at: Double(second))
        }
        XCTAssertNil(history.counts(service: "s", at: 89), "points before the last 10 are gone")
        XCTAssertEqual(history.counts(service: "s", at: 90)?.running, 90)
        XCTAssertEqual(history.counts(service: "s", at: 99)?.running, 99)
    }
}
