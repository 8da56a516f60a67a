import LB
import XCTest

/// Latency percentiles through workers, deltas and the hub's 10-s slices, on a fake clock.
final class StatisticsLatencyTests: XCTestCase {
    /// HdrHistogram at three significant digits reports a value no lower than the sample and
    /// at most 0.1 % above it.
    private func assertWithinPrecision(_ reported: UInt64, _ expected: UInt64, _ what: String, line: UInt = #line) {
        XCTAssertGreaterThanOrEqual(reported, expected, what, line: line)
        XCTAssertLessThanOrEqual(Double(reported), Double(expected) * 1.001, what, line: line)
    }

    func testPercentilesOfKnownSamplesAcrossTwoWorkers() throws {
        let layout = try StatisticsFixtures.layout()
        let workers = [WorkerStatistics(layout: layout), WorkerStatistics(layout: layout)]
        let hub = StatisticsHub()
        // 1...10_000 us, odd values on one worker and even on the other, in ten drains.
        for batch in 0..<10 {
            for value in UInt64(batch * 1_000 + 1)...UInt64(batch * 1_000 + 1_000) {
                let worker = workers[Int(value % 2)]
                worker.requestStarted(listener: 0, group: 0, target: 0)
                worker.targetResponded(group: 0, target: 0, status: 200, responseTime: value)
                worker.requestCompleted(listener: 0, group: 0, target: 0, status: 200, duration: value * 2)
            }
            let now = 100 + Double(batch) * 0.25
            for worker in workers { hub.merge(worker.drainDelta(now: now, flushLatencies: true), now: now) }
        }
        let traffic = try hub.snapshot(now: 103).target("api", id: 1).traffic
        for summary in [traffic.targetResponseTime.lastMinute, traffic.targetResponseTime.sinceStart] {
            XCTAssertEqual(summary.count, 10_000)
            XCTAssertEqual(summary.minimum, 1)
            assertWithinPrecision(summary.p50, 5_000, "p50")
            assertWithinPrecision(summary.p90, 9_000, "p90")
            assertWithinPrecision(summary.p99, 9_900, "p99")
            assertWithinPrecision(summary.maximum, 10_000, "max")
            XCTAssertEqual(summary.mean, 5_000.5, accuracy: 5.0005)
        }
        XCTAssertEqual(traffic.counts.targetResponseMicroseconds, (1...10_000).reduce(0, +), "the _sum is exact")
        let duration = traffic.requestDuration.lastMinute
        assertWithinPrecision(duration.p99, 19_800, "duration p99")
        assertWithinPrecision(try hub.snapshot(now: 103).listener("web").traffic.requestDuration.lastMinute.p90, 18_000, "listener p90")
        let group = try hub.snapshot(now: 103).group("api").traffic
        XCTAssertEqual(group.targetResponseTime.sinceStart, traffic.targetResponseTime.sinceStart,
                       "the group's target response times are its targets'")
    }

    func testLastMinuteForgetsOldSlicesButSinceStartKeepsThem() throws {
        let stats = WorkerStatistics(layout: try StatisticsFixtures.layout())
        let hub = StatisticsHub()
        /// Responses recorded at `now`, between two of the worker's regular drains (the
        /// histograms collect the slice of the drain before them).
        func respond(_ microseconds: UInt64, times: Int, at now: Double) {
            hub.merge(stats.drainDelta(now: now), now: now)
            for _ in 0..<times {
                stats.requestStarted(listener: 0, group: 0, target: 0)
                stats.targetResponded(group: 0, target: 0, status: 200, responseTime: microseconds)
            }
            hub.merge(stats.drainDelta(now: now + 0.1, flushLatencies: true), now: now + 0.1)
        }
        respond(1_000, times: 100, at: 100.5)
        respond(5_000, times: 100, at: 150.5)

        var summary = try hub.snapshot(now: 155).target("api", id: 1).traffic.targetResponseTime
        XCTAssertEqual(summary.lastMinute.count, 200)
        assertWithinPrecision(summary.lastMinute.p50, 1_000, "both slices in the window")

        // At 175 the window is slices [110, 120) to [170, 180): the samples of second 100 are out.
        summary = try hub.snapshot(now: 175).target("api", id: 1).traffic.targetResponseTime
        XCTAssertEqual(summary.lastMinute.count, 100)
        assertWithinPrecision(summary.lastMinute.p50, 5_000, "only the later slice")
        XCTAssertEqual(summary.sinceStart.count, 200)

        // The slot of slice 10 is reused by slice 17: its old samples must not come back.
        respond(2_000, times: 10, at: 170.5)
        summary = try hub.snapshot(now: 171).target("api", id: 1).traffic.targetResponseTime
        XCTAssertEqual(summary.lastMinute.count, 110)
        XCTAssertEqual(summary.sinceStart.count, 210)

        summary = try hub.snapshot(now: 400).target("api", id: 1).traffic.targetResponseTime
        XCTAssertEqual(summary.lastMinute, .empty)
        XCTAssertEqual(summary.sinceStart.count, 210)
    }

    func testLatenciesAreHandedOverWhenTheirTenSecondSliceEnds() throws {
        let stats = WorkerStatistics(layout: try StatisticsFixtures.layout())
        let hub = StatisticsHub()
        hub.merge(stats.drainDelta(now: 20.0), now: 20.0)
        stats.requestStarted(listener: 0, group: 0, target: 0)
        stats.targetResponded(group: 0, target: 0, status: 200, responseTime: 800)
        stats.requestCompleted(listener: 0, group: 0, target: 0, status: 200, duration: 900)

        var delta = stats.drainDelta(now: 20.25)
        XCTAssertEqual(delta.targets.first?.counts.requests, 1, "counters go at every drain")
        XCTAssertEqual(delta.targets.first?.targetResponseTimes.count, 0, "latencies wait for the end of their slice")
        hub.merge(delta, now: 20.25)
        XCTAssertEqual(try hub.snapshot(now: 20.5).target("api", id: 1).traffic.targetResponseTime, .empty)

        delta = stats.drainDelta(now: 29.9)
        XCTAssertTrue(delta.isEmpty)
        hub.merge(delta, now: 29.9)
        delta = stats.drainDelta(now: 30.1)
        XCTAssertEqual(delta.targets.first?.targetResponseTimes.count, 1)
        XCTAssertEqual(delta.listeners.first?.requestDurations.count, 1)
        XCTAssertEqual(delta.targets.first?.counts, .zero, "the slice's latencies travel without new counts")
        hub.merge(delta, now: 30.1)

        let latency = try hub.snapshot(now: 30.2).target("api", id: 1).traffic.targetResponseTime
        XCTAssertEqual(latency.lastMinute.count, 1)
        assertWithinPrecision(latency.lastMinute.p99, 800, "p99")
        // Slice [20, 30) stays in the window until [90, 100) completes.
        XCTAssertEqual(try hub.snapshot(now: 89.9).target("api", id: 1).traffic.targetResponseTime.lastMinute.count, 1)
        XCTAssertEqual(try hub.snapshot(now: 90.1).target("api", id: 1).traffic.targetResponseTime.lastMinute.count, 0)
        XCTAssertEqual(try hub.snapshot(now: 90.1).target("api", id: 1).traffic.targetResponseTime.sinceStart.count, 1)
    }

    func testLatenciesAboveSixtySecondsAreRecordedAsSixtySeconds() throws {
        let stats = WorkerStatistics(layout: try StatisticsFixtures.layout())
        let hub = StatisticsHub()
        stats.requestStarted(listener: 0, group: 0, target: 0)
        stats.targetResponded(group: 0, target: 0, status: 200, responseTime: 120_000_000)
        hub.merge(stats.drainDelta(now: 1, flushLatencies: true), now: 1)
        let traffic = try hub.snapshot(now: 1).target("api", id: 1).traffic
        assertWithinPrecision(traffic.targetResponseTime.sinceStart.maximum, LatencyScale.highestMicroseconds, "clamped")
        XCTAssertEqual(traffic.counts.targetResponseMicroseconds, LatencyScale.highestMicroseconds)
    }
}
