import LB
import XCTest

/// What workers count and how their deltas add up in the hub.
final class StatisticsWorkerTests: XCTestCase {
    func testCountersOfTwoWorkersAddUpInTheHub() throws {
        let layout = try StatisticsFixtures.layout()
        let first = WorkerStatistics(layout: layout)
        let second = WorkerStatistics(layout: layout)
        let hub = StatisticsHub()

        for _ in 0..<3 { StatisticsFixtures.forward(first, status: 200) }
        StatisticsFixtures.forward(first, target: 1, status: 404)
        for _ in 0..<2 { StatisticsFixtures.forward(second, status: 503) }
        StatisticsFixtures.forward(second, listener: 1, group: 1, target: 0, status: 301)
        first.clientBytesReceived(100, listener: 0)
        second.clientBytesReceived(50, listener: 0)
        first.clientBytesSent(1_000, listener: 0)
        first.targetBytesSent(80, group: 0, target: 0)
        second.targetBytesReceived(900, group: 0, target: 0)

        hub.merge(first.drainDelta(now: 10.2, flushLatencies: true), now: 10.2)
        hub.merge(second.drainDelta(now: 10.3, flushLatencies: true), now: 10.3)
        let snapshot = hub.snapshot(now: 10.5)

        let web = try snapshot.listener("web")
        XCTAssertEqual(web.traffic.counts.requests, 6)
        XCTAssertEqual(web.traffic.counts.responses.successful, 3)
        XCTAssertEqual(web.traffic.counts.responses.clientError, 1)
        XCTAssertEqual(web.traffic.counts.responses.serverError, 2)
        XCTAssertEqual(web.traffic.counts.bytesReceived, 150)
        XCTAssertEqual(web.traffic.counts.bytesSent, 1_000)
        XCTAssertEqual(try snapshot.listener("admin").traffic.counts.responses.redirection, 1)

        let api = try snapshot.group("api")
        XCTAssertEqual(api.traffic.counts.requests, 6)
        XCTAssertEqual(api.traffic.statusCodes, [
            StatusCodeCount(code: 200, count: 3), StatusCodeCount(code: 404, count: 1), StatusCodeCount(code: 503, count: 2),
        ])
        XCTAssertEqual(api.traffic.counts.responses.successful, 3)
        XCTAssertEqual(api.traffic.counts.responses.serverError, 2)
        XCTAssertEqual(api.traffic.counts.bytesSent, 80, "a group's bytes are its targets'")
        XCTAssertEqual(api.traffic.counts.bytesReceived, 900)

        let target1 = try snapshot.target("api", id: 1)
        XCTAssertEqual(target1.key, "10.0.0.1:80")
        XCTAssertEqual(target1.traffic.counts.requests, 5)
        XCTAssertEqual(target1.traffic.statusCodes, [StatusCodeCount(code: 200, count: 3), StatusCodeCount(code: 503, count: 2)])
        XCTAssertEqual(try snapshot.target("api", id: 2).traffic.counts.requests, 1)
        XCTAssertEqual(try snapshot.target("static", id: 7).traffic.statusCodes, [StatusCodeCount(code: 301, count: 1)])
        XCTAssertEqual(api.traffic.targetResponseTime.sinceStart.count, 6)
        XCTAssertEqual(api.traffic.requestDuration.sinceStart.count, 6)
        XCTAssertEqual(api.traffic.counts.targetResponseMicroseconds, 6_000)
        XCTAssertEqual(api.traffic.counts.requestDurationMicroseconds, 9_000)
    }

    func testDrainHandsOverOnceAndStartsFromZero() throws {
        let stats = WorkerStatistics(layout: try StatisticsFixtures.layout())
        StatisticsFixtures.forward(stats)
        let delta = stats.drainDelta(now: 1, flushLatencies: true)
        XCTAssertEqual(delta.listeners.map(\.counts.requests), [1])
        XCTAssertEqual(delta.targets.first?.statusCodes, [StatusCodeCount(code: 200, count: 1)])
        XCTAssertEqual(delta.targets.first?.targetResponseTimes.count, 1)
        XCTAssertTrue(stats.drainDelta(now: 1.25).isEmpty, "a second drain must not hand the same counts over again")
    }

    func testGeneratedErrorsAreCountedAtEveryLevelTheRequestReached() throws {
        let stats = WorkerStatistics(layout: try StatisticsFixtures.layout())
        let hub = StatisticsHub()
        stats.requestReceived(listener: 0)
        stats.lbErrorSent(.badRequest, listener: 0, duration: 50)
        stats.requestReceived(listener: 0)
        stats.requestRouted(group: 1)
        stats.lbErrorSent(.serviceUnavailable, listener: 0, group: 1, duration: 80)
        stats.requestStarted(listener: 0, group: 0, target: 1)
        stats.lbErrorSent(.gatewayTimeout, listener: 0, group: 0, target: 1, duration: 30_000_000)
        hub.merge(stats.drainDelta(now: 1, flushLatencies: true), now: 1)
        let snapshot = hub.snapshot(now: 1)

        let web = try snapshot.listener("web").traffic
        XCTAssertEqual(web.counts.requests, 3)
        XCTAssertEqual(web.counts.lbErrors.badRequest, 1)
        XCTAssertEqual(web.counts.lbErrors.serviceUnavailable, 1)
        XCTAssertEqual(web.counts.lbErrors.gatewayTimeout, 1)
        XCTAssertEqual(web.counts.lbErrors.total, 3)
        XCTAssertEqual(web.counts.responses.total, 0, "generated errors are not forwarded responses")
        XCTAssertEqual(web.counts.serverErrors, 2)
        XCTAssertEqual(web.requestDuration.sinceStart.count, 3)

        let staticGroup = try snapshot.group("static").traffic
        XCTAssertEqual(staticGroup.counts.requests, 1)
        XCTAssertEqual(staticGroup.counts.lbErrors.serviceUnavailable, 1)
        XCTAssertEqual(staticGroup.counts.lbErrors.badRequest, 0)

        let api = try snapshot.group("api").traffic
        XCTAssertEqual(api.counts.lbErrors.gatewayTimeout, 1, "counted once for the group, not again from its target")
        XCTAssertEqual(api.counts.responses.total, 0, "a generated error is not a target's response")
        let target2 = try snapshot.target("api", id: 2).traffic
        XCTAssertEqual(target2.counts.lbErrors.gatewayTimeout, 1)
        let maximum = target2.requestDuration.sinceStart.maximum
        XCTAssertTrue((30_000_000...30_030_000).contains(maximum), "\(maximum) is 30 s at three significant digits")
    }

    func testRetriesEjectionsAndConnectionGauges() throws {
        let stats = WorkerStatistics(layout: try StatisticsFixtures.layout())
        let hub = StatisticsHub()
        stats.clientConnectionOpened(listener: 0)
        stats.clientConnectionOpened(listener: 0)
        stats.targetConnectionOpened(group: 0, target: 0)
        stats.targetConnectionOpened(group: 0, target: 1)
        stats.requestStarted(listener: 0, group: 0, target: 0)
        stats.requestRetried(group: 0, failedTarget: 0)
        stats.targetEjected(group: 0, target: 0)
        stats.targetConnectionClosed(group: 0, target: 0)
        stats.requestSent(group: 0, target: 1)
        stats.targetResponded(group: 0, target: 1, status: 200, responseTime: 700)
        stats.requestCompleted(listener: 0, group: 0, target: 1, status: 200, duration: 900)
        hub.merge(stats.drainDelta(now: 5, flushLatencies: true), now: 5)

        stats.clientConnectionClosed(listener: 0)
        hub.merge(stats.drainDelta(now: 5.25, flushLatencies: true), now: 5.25)
        XCTAssertEqual(stats.openClientConnections(listener: 0), 1)
        XCTAssertEqual(stats.openTargetConnections(group: 0, target: 1), 1)

        let snapshot = hub.snapshot(now: 6)
        let web = try snapshot.listener("web").traffic
        XCTAssertEqual(web.activeConnections, 1)
        XCTAssertEqual(web.counts.connectionsOpened, 2)
        let api = try snapshot.group("api").traffic
        XCTAssertEqual(api.counts.requests, 1, "a retried request is one request for its group")
        XCTAssertEqual(api.counts.retries, 1)
        XCTAssertEqual(api.counts.passiveEjections, 1)
        XCTAssertEqual(api.activeConnections, 1)
        XCTAssertEqual(api.counts.connectionsOpened, 2)
        let failed = try snapshot.target("api", id: 1).traffic
        XCTAssertEqual(failed.counts.requests, 1)
        XCTAssertEqual(failed.counts.retries, 1)
        XCTAssertEqual(failed.counts.passiveEjections, 1)
        XCTAssertEqual(failed.activeConnections, 0)
        let served = try snapshot.target("api", id: 2).traffic
        XCTAssertEqual(served.counts.requests, 1)
        XCTAssertEqual(served.activeConnections, 1)
    }

    func testUnclassifiedStatusIsKeptApart() throws {
        let stats = WorkerStatistics(layout: try StatisticsFixtures.layout())
        let hub = StatisticsHub()
        stats.requestStarted(listener: 0, group: 0, target: 0)
        stats.targetResponded(group: 0, target: 0, status: 999, responseTime: 10)
        hub.merge(stats.drainDelta(now: 1, flushLatencies: true), now: 1)
        let target = try hub.snapshot(now: 1).target("api", id: 1).traffic
        XCTAssertEqual(target.statusCodes, [StatusCodeCount(code: StatusCodeCount.unclassifiedCode, count: 1)])
        XCTAssertEqual(target.counts.responses.unclassified, 1)
        XCTAssertEqual(target.counts.responses.total, 1)
    }
}
