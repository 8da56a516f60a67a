import LB
import XCTest

/// Layouts: dense indexes, duplicates refused, figures kept by id across routing snapshots,
/// entities with open connections kept, idle ones eventually forgotten.
final class StatisticsLayoutTests: XCTestCase {
    func testDuplicatesAreRefused() {
        XCTAssertThrowsError(try StatisticsLayout(listeners: ["a", "a"], targetGroups: [])) {
            XCTAssertEqual($0 as? StatisticsLayoutError, .duplicateListener(name: "a"))
        }
        XCTAssertThrowsError(try StatisticsLayout(listeners: [], targetGroups: [.init(name: "g", targets: []), .init(name: "g", targets: [])])) {
            XCTAssertEqual($0 as? StatisticsLayoutError, .duplicateTargetGroup(name: "g"))
        }
        let twice = [TargetIdentity(id: 4, key: "10.0.0.4:80"), TargetIdentity(id: 4, key: "10.0.0.5:80")]
        XCTAssertThrowsError(try StatisticsLayout(listeners: [], targetGroups: [.init(name: "g", targets: twice)])) {
            XCTAssertEqual($0 as? StatisticsLayoutError, .duplicateTarget(targetGroup: "g", id: 4))
        }
    }

    func testLookUps() throws {
        let layout = try StatisticsFixtures.layout()
        XCTAssertEqual(layout.listenerIndex(named: "admin"), 1)
        XCTAssertEqual(layout.targetGroupIndex(named: "static"), 1)
        XCTAssertEqual(layout.targetIndex(group: 0, id: 2), 1)
        XCTAssertNil(layout.targetIndex(group: 5, id: 2))
        XCTAssertEqual(layout.targetPosition(targetGroup: "static", id: 7)?.group, 1)
        XCTAssertEqual(layout.targetPosition(targetGroup: "static", id: 7)?.target, 0)
        XCTAssertNil(layout.targetPosition(targetGroup: "static", id: 1))
        XCTAssertEqual(layout.targetSlotCount, 3)
        XCTAssertNotEqual(layout.generation, try StatisticsFixtures.layout().generation)
    }

    func testTargetsRemovedAndAddedBackKeepTheirTotalsById() throws {
        let first = try StatisticsFixtures.layout()
        let stats = WorkerStatistics(layout: first)
        let hub = StatisticsHub()
        for _ in 0..<4 { StatisticsFixtures.forward(stats, target: 1) } // target id 2
        hub.merge(stats.drainDelta(now: 1, flushLatencies: true), now: 1)

        // Target 2 leaves, target 3 arrives in front of target 1: indexes shift.
        let second = try StatisticsLayout(
            listeners: ["web", "admin"],
            targetGroups: [
                .init(name: "api", targets: [.init(id: 3, key: "10.0.0.3:80"), .init(id: 1, key: "10.0.0.1:80")]),
                .init(name: "static", targets: [.init(id: 7, key: "10.0.0.7:8080")]),
            ]
        )
        StatisticsFixtures.forward(stats, target: 0) // still under the first layout: id 1
        hub.merge(stats.install(second, now: 2), now: 2)
        XCTAssertEqual(stats.layout.generation, second.generation, "nothing was open, so the new layout is used as is")
        for _ in 0..<2 { StatisticsFixtures.forward(stats, target: 0) } // id 3 now
        StatisticsFixtures.forward(stats, target: 1) // id 1
        hub.merge(stats.drainDelta(now: 3, flushLatencies: true), now: 3)

        var snapshot = hub.snapshot(now: 4)
        XCTAssertEqual(try snapshot.target("api", id: 1).traffic.counts.requests, 2)
        XCTAssertEqual(try snapshot.target("api", id: 2).traffic.counts.requests, 4, "a removed target keeps its figures")
        XCTAssertEqual(try snapshot.target("api", id: 3).traffic.counts.requests, 2)
        XCTAssertEqual(try snapshot.group("api").traffic.counts.requests, 8)

        // Target 2 comes back, at yet another index, with a new address.
        let third = try StatisticsLayout(
            listeners: ["web"],
            targetGroups: [.init(name: "api", targets: [.init(id: 1, key: "10.0.0.1:80"), .init(id: 3, key: "10.0.0.3:80"), .init(id: 2, key: "10.0.0.9:80")])]
        )
        hub.merge(stats.install(third, now: 5), now: 5)
        StatisticsFixtures.forward(stats, target: 2)
        hub.merge(stats.drainDelta(now: 6, flushLatencies: true), now: 6)
        snapshot = hub.snapshot(now: 7)
        let returned = try snapshot.target("api", id: 2)
        XCTAssertEqual(returned.traffic.counts.requests, 5)
        XCTAssertEqual(returned.key, "10.0.0.9:80")
        XCTAssertEqual(returned.traffic.targetResponseTime.sinceStart.count, 5)
    }

    func testTargetWithOpenConnectionsStaysInTheWorkerLayoutUntilClosed() throws {
        let stats = WorkerStatistics(layout: try StatisticsFixtures.layout())
        let hub = StatisticsHub()
        stats.clientConnectionOpened(listener: 1)               // admin
        stats.targetConnectionOpened(group: 1, target: 0)       // static / 7
        hub.merge(stats.drainDelta(now: 1, flushLatencies: true), now: 1)

        // The new snapshot has neither the admin listener nor the static group.
        let next = try StatisticsLayout(listeners: ["web"], targetGroups: [.init(name: "api", targets: [.init(id: 1, key: "10.0.0.1:80")])])
        hub.merge(stats.install(next, now: 2), now: 2)
        XCTAssertEqual(stats.layout.listeners, ["web", "admin"])
        XCTAssertEqual(stats.layout.targetGroups.map(\.name), ["api", "static"])
        let admin = try XCTUnwrap(stats.layout.listenerIndex(named: "admin"))
        let position = try XCTUnwrap(stats.layout.targetPosition(targetGroup: "static", id: 7))
        XCTAssertEqual(stats.openClientConnections(listener: admin), 1)
        XCTAssertEqual(stats.openTargetConnections(group: position.group, target: position.target), 1)

        // The draining connections finish under the new layout.
        stats.targetBytesReceived(512, group: position.group, target: position.target)
        stats.targetConnectionClosed(group: position.group, target: position.target)
        stats.clientConnectionClosed(listener: admin)
        hub.merge(stats.install(next, now: 3), now: 3)
        XCTAssertEqual(stats.layout.listeners, ["web"])
        XCTAssertEqual(stats.layout.targetGroups.map(\.name), ["api"])

        let snapshot = hub.snapshot(now: 4)
        XCTAssertEqual(try snapshot.listener("admin").traffic.activeConnections, 0)
        XCTAssertEqual(try snapshot.target("static", id: 7).traffic.activeConnections, 0)
        XCTAssertEqual(try snapshot.target("static", id: 7).traffic.counts.bytesReceived, 512)
        XCTAssertEqual(try snapshot.group("static").traffic.counts.connectionsClosed, 1)
    }

    func testIdleEntitiesNoLayoutNamesAreForgottenAfterTheRetention() throws {
        let configuration = StatisticsHubConfiguration(idleEntityRetention: 100, layoutExpiry: 10, pruneInterval: 5)
        let hub = StatisticsHub(configuration: configuration)
        let stats = WorkerStatistics(layout: try StatisticsFixtures.layout())
        StatisticsFixtures.forward(stats, group: 1, target: 0)
        hub.merge(stats.drainDelta(now: 0, flushLatencies: true), now: 0)

        let next = try StatisticsLayout(listeners: ["web"], targetGroups: [.init(name: "api", targets: [.init(id: 1, key: "10.0.0.1:80")])])
        hub.merge(stats.install(next, now: 1), now: 1)
        // The worker keeps merging (empty deltas) under the new layout.
        var now = 1.0
        while now < 90 {
            now += 0.25
            hub.merge(stats.drainDelta(now: now, flushLatencies: true), now: now)
        }
        var snapshot = hub.snapshot(now: now)
        XCTAssertEqual(try snapshot.target("static", id: 7).traffic.counts.requests, 1, "kept within the retention")
        XCTAssertNotNil(try? snapshot.listener("admin"))

        while now < 120 {
            now += 0.25
            hub.merge(stats.drainDelta(now: now, flushLatencies: true), now: now)
        }
        snapshot = hub.snapshot(now: now)
        XCTAssertNil(snapshot.targetGroups.first { $0.name == "static" }, "idle past the retention and named by no layout in use")
        XCTAssertNil(snapshot.listeners.first { $0.name == "admin" })
        XCTAssertEqual(try snapshot.target("api", id: 1).traffic.counts.requests, 0, "named by the layout in use: kept though idle")
        XCTAssertNotNil(try? snapshot.listener("web"))
    }
}
