import LB
import XCTest

/// Per-second counts, rates over whole-second windows and the rings they live in, on a fake clock.
final class StatisticsRateTests: XCTestCase {
    private var stats: WorkerStatistics!
    private var hub: StatisticsHub!

    override func setUpWithError() throws {
        stats = WorkerStatistics(layout: try StatisticsFixtures.layout())
        hub = StatisticsHub()
    }

    /// Routes `count` requests to group `api` and merges them as counted at `now`.
    private func send(_ count: Int, at now: Double, status: Int = 200) {
        for _ in 0..<count { StatisticsFixtures.forward(stats, status: status) }
        hub.merge(stats.drainDelta(now: now, flushLatencies: true), now: now)
    }

    func testRatesOverOneTenAndSixtySecondsAreExactForWholeSeconds() throws {
        // Second s (100...159) gets s - 99 requests, in four quarter-second drains.
        for second in 100..<160 {
            let total = second - 99
            for quarter in 0..<4 {
                let share = total / 4 + (quarter < total % 4 ? 1 : 0)
                send(share, at: Double(second) + Double(quarter) * 0.25 + 0.01)
            }
        }
        // The current second (160) is partial and must not count.
        send(1_000, at: 160.5)

        let now = 160.9
        XCTAssertEqual(hub.requestRate(targetGroup: "api", window: 1, now: now), 60)
        XCTAssertEqual(hub.requestRate(targetGroup: "api", window: 10, now: now), Double((51...60).reduce(0, +)) / 10)
        XCTAssertEqual(hub.requestRate(targetGroup: "api", window: 60, now: now), Double((1...60).reduce(0, +)) / 60)
        XCTAssertEqual(hub.requestCountPerSecond(targetGroup: "api", last: 5, now: now), [56, 57, 58, 59, 60])

        let rates = try hub.snapshot(now: now).group("api").traffic.requestRates
        XCTAssertEqual(rates, RequestRates(lastSecond: 60, last10Seconds: 55.5, last60Seconds: 30.5))
        let targetRates = try hub.snapshot(now: now).target("api", id: 1).traffic.requestRates
        XCTAssertEqual(targetRates, rates, "every request went to target 1")
        let listenerRates = try hub.snapshot(now: now).listener("web").traffic.requestRates
        XCTAssertEqual(listenerRates, rates)
    }

    func testIdleSecondsCountAsZero() {
        send(10, at: 10.1)
        send(20, at: 13.7)
        XCTAssertEqual(hub.requestCountPerSecond(targetGroup: "api", last: 6, now: 15.2), [0, 10, 0, 0, 20, 0])
        // Reading long after the last merge: the recent seconds are idle.
        XCTAssertEqual(hub.requestRate(targetGroup: "api", window: 1, now: 40), 0)
        XCTAssertEqual(hub.requestRate(targetGroup: "api", window: 60, now: 40), 0.5)
    }

    func testSecondsOutsideTheRingAreForgottenAndAJumpClearsIt() throws {
        send(7, at: 1.5)
        send(9, at: 2.5)
        // A jump longer than the hour kept: the ring starts over, the totals do not.
        send(3, at: 3_700.5)
        let hour = hub.requestCountPerSecond(targetGroup: "api", last: 3_600, now: 3_701)
        XCTAssertEqual(hour.count, 3_600)
        XCTAssertEqual(hour.reduce(0, +), 3)
        XCTAssertEqual(hour.last, 3)

        // A partial advance keeps what is still within the hour.
        send(5, at: 5_000.5)
        XCTAssertEqual(hub.requestCountPerSecond(targetGroup: "api", last: 3_600, now: 7_300.9).reduce(0, +), 8)
        // Second 7301 reuses second 3700's slot: 3700's count must be gone.
        send(2, at: 7_301.5)
        let later = hub.requestCountPerSecond(targetGroup: "api", last: 3_600, now: 7_302)
        XCTAssertEqual(later.reduce(0, +), 7)
        XCTAssertEqual(later.last, 2)
        XCTAssertEqual(try hub.snapshot(now: 7_302).group("api").traffic.counts.requests, 26, "totals never roll over")
    }

    func testRingRollsOverSecondBySecond() {
        // A 100-s ring driven through 730 seconds: every slot is reused seven times.
        hub = StatisticsHub(configuration: StatisticsHubConfiguration(secondsKeptPerTargetGroup: 100))
        for second in 0..<730 {
            for _ in 0..<(second % 3 == 0 ? 2 : 1) { stats.requestRouted(group: 0) }
            hub.merge(stats.drainDelta(now: Double(second) + 0.5), now: Double(second) + 0.5)
        }
        let kept = hub.requestCountPerSecond(targetGroup: "api", last: 100, now: 730.1)
        let expected = (630..<730).map { $0 % 3 == 0 ? 2 : 1 }
        XCTAssertEqual(kept, expected)
        XCTAssertEqual(hub.requestRate(targetGroup: "api", window: 100, now: 730.1), Double(expected.reduce(0, +)) / 100)
        XCTAssertEqual(hub.requestCountPerSecond(targetGroup: "api", last: 500, now: 730.1).count, 100, "capped at the seconds kept")
    }

    func testLateDeltaOfAnEarlierSecondLandsInThatSecond() {
        send(4, at: 20.9)
        send(6, at: 21.1)
        send(1, at: 20.95) // another worker's clock read a moment earlier
        XCTAssertEqual(hub.requestCountPerSecond(targetGroup: "api", last: 2, now: 22), [5, 6])
    }

    func testSeriesCarryRequestsAndServerErrors() {
        send(3, at: 50.2, status: 200)
        send(2, at: 50.6, status: 502)
        let stats = self.stats!
        stats.requestReceived(listener: 0)
        stats.requestRouted(group: 0)
        stats.lbErrorSent(.serviceUnavailable, listener: 0, group: 0, duration: 10)
        hub.merge(stats.drainDelta(now: 51.5, flushLatencies: true), now: 51.5)

        let series = hub.series(targetGroup: "api", seconds: 3, now: 52.0)
        XCTAssertEqual(series.firstSecond, 49)
        XCTAssertEqual(series.requests, [0, 5, 1])
        XCTAssertEqual(series.serverErrors, [0, 2, 1])
        let listener = hub.series(listener: "web", seconds: 3, now: 52.0)
        XCTAssertEqual(listener.requests, [0, 5, 1])
        XCTAssertEqual(listener.serverErrors, [0, 2, 1])
    }

    func testUnknownGroupReadsAsNoTraffic() {
        XCTAssertEqual(hub.requestRate(targetGroup: "nope", window: 10, now: 5), 0)
        XCTAssertEqual(hub.requestCountPerSecond(targetGroup: "nope", last: 3, now: 5), [0, 0, 0])
    }
}
