import Synchronization
import XCTest

@testable import LB

/// The run-time registry: registration, health, draining, reloads, snapshots.
final class TargetGroupRegistryTests: XCTestCase {
    private func configuration(
        targets: [(String, Int)] = [("127.0.0.1", 9001), ("127.0.0.1", 9002)], deregistrationDelay: Int = 300,
        slowStart: Int = 0, checksEnabled: Bool = true, extraGroup: Bool = false
    ) throws -> LBConfiguration {
        let targetList = targets.map { "{address: \"\($0.0)\", port: \($0.1)}" }.joined(separator: ", ")
        var text = """
            listeners: [{name: web, port: 8003, defaultTargetGroup: web}]
            targetGroups:
              - name: web
                deregistrationDelaySeconds: \(deregistrationDelay)
                slowStartSeconds: \(slowStart)
                healthCheck: {enabled: \(checksEnabled), healthyThresholdCount: 2, unhealthyThresholdCount: 2, port: 9100}
                targets: [\(targetList)]
            """
        if extraGroup { text += "\n  - name: spare\n    targets: [{address: 10.0.0.9, port: 80}]" }
        return try LBConfiguration.parse(text)
    }

    private let pass = HealthCheckResult.success(status: 200, duration: 0.001)
    private let fail = HealthCheckResult.statusMismatch(status: 500, duration: 0.001)

    private func states(_ registry: TargetRegistry, _ group: String = "web") throws -> [TargetHealthState] {
        try registry.describeTargetHealth(group: group).map(\.state)
    }

    func testConfiguredTargetsStartInitialAndBecomeHealthy() throws {
        let registry = TargetRegistry(configuration: try configuration(), now: 0)
        let table = registry.routingTable()
        XCTAssertEqual(table.generation, 1)
        XCTAssertEqual(table.listeners.map(\.port), [8003])
        XCTAssertEqual(table.listeners[0].defaultGroupIndex, 0)
        XCTAssertEqual(table.groups[0].targets.map(\.state), [.initial, .initial])
        let ids = table.groups[0].targets.map(\.id)

        let described = try registry.describeTargetHealth(group: "web")
        XCTAssertEqual(described.map(\.reason), [.registrationInProgress, .registrationInProgress])
        XCTAssertEqual(described.map(\.healthCheckPort), [9100, 9100])
        XCTAssertEqual(described.map { "\($0.address):\($0.port)" }, ["127.0.0.1:9001", "127.0.0.1:9002"])

        XCTAssertEqual(registry.record(check: pass, for: ids[0], at: 1), .healthy)
        XCTAssertEqual(registry.routingTable().generation, 2, "a state change publishes a new table")
        XCTAssertEqual(registry.record(check: pass, for: ids[0], at: 2), .healthy)
        XCTAssertEqual(registry.routingTable().generation, 2, "a check that changes nothing does not")
        registry.record(check: fail, for: ids[1], at: 2)
        registry.record(check: fail, for: ids[1], at: 3)
        let after = try registry.describeTargetHealth(group: "web")
        XCTAssertEqual(after.map(\.state), [.healthy, .unhealthy])
        XCTAssertEqual(after[1].reason, .responseCodeMismatch)
        XCTAssertEqual(after[1].description, "Health checks failed with these codes: [500]")
        XCTAssertEqual(after[1].lastStateChange, 3)
        XCTAssertEqual(after[1].history.map(\.time), [2, 3])
        XCTAssertNil(registry.record(check: pass, for: TargetID(rawValue: 99), at: 4))
    }

    func testTargetsToCheckListsEachTargetOnce() throws {
        let registry = TargetRegistry(configuration: try configuration(extraGroup: true), now: 0)
        var work = registry.targetsToCheck()
        XCTAssertEqual(work.count, 2, "the unused group 'spare' is not checked")
        XCTAssertEqual(work.map(\.port), [9100, 9100])
        XCTAssertEqual(work.map(\.endpoint.port), [9100, 9100])
        XCTAssertEqual(work.map(\.host), ["127.0.0.1", "127.0.0.1"])
        XCTAssertEqual(work[0].path, "/")
        XCTAssertEqual(work[0].intervalSeconds, 30)
        XCTAssertNil(work[0].lastCheckAt)
        registry.record(check: pass, for: work[0].id, at: 7)
        try registry.deregister(group: "web", id: work[1].id, now: 8)
        work = registry.targetsToCheck()
        XCTAssertEqual(work.count, 1, "draining targets are not checked")
        XCTAssertEqual(work[0].lastCheckAt, 7)
        XCTAssertEqual(try states(registry, "spare"), [.unused])
        XCTAssertEqual(try registry.describeTargetHealth(group: "spare")[0].reason, .notInUse)
    }

    func testRegisterDeregisterAndDrainingExpiry() throws {
        let registry = TargetRegistry(configuration: try configuration(targets: [], deregistrationDelay: 60), now: 0)
        let id = try registry.register(group: "web", address: "10.1.0.5", port: 8080, weight: 3, now: 10)
        XCTAssertEqual(
            try registry.register(group: "web", address: "10.1.0.5", port: 8080, weight: 3, now: 11), id, "idempotent")
        let other = try registry.register(group: "web", address: "fd00::5", port: 8080, now: 11)
        XCTAssertNotEqual(id, other)
        XCTAssertEqual(registry.routingTable().groups[0].targets.map(\.weight), [3, 1])

        try registry.deregister(group: "web", id: id, now: 20)
        let draining = try registry.describeTargetHealth(group: "web")[0]
        XCTAssertEqual(draining.state, .draining)
        XCTAssertEqual(draining.reason, .deregistrationInProgress)
        XCTAssertEqual(draining.drainingUntil, 80)
        XCTAssertEqual(registry.routingTable().groups[0].targets[0].state, .draining)

        registry.tick(now: 79)
        XCTAssertEqual(try states(registry), [.draining, .initial])
        registry.tick(now: 80)
        XCTAssertEqual(try states(registry), [.initial], "removed once the deregistration delay has passed")

        // Reported drained early: removed at once. A new registration of the same address gets a new id.
        try registry.deregister(group: "web", id: other, now: 90)
        registry.drainingFinished(other)
        XCTAssertEqual(try states(registry), [])
        let again = try registry.register(group: "web", address: "fd00::5", port: 8080, now: 91)
        XCTAssertGreaterThan(again, other)
    }

    func testRegistryErrors() throws {
        let registry = TargetRegistry(configuration: try configuration(), now: 0)
        XCTAssertThrowsError(try registry.register(group: "nope", address: "10.0.0.1", port: 80, now: 0)) {
            XCTAssertEqual($0 as? RegistryError, .targetGroupNotFound("nope"))
        }
        XCTAssertThrowsError(try registry.register(group: "web", address: "host.local", port: 80, now: 0)) {
            guard case .invalidAddress("host.local", _)? = $0 as? RegistryError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try registry.register(group: "web", address: "10.0.0.1", port: 0, now: 0)) {
            XCTAssertEqual($0 as? RegistryError, .invalidPort(0))
        }
        XCTAssertThrowsError(try registry.register(group: "web", address: "10.0.0.1", port: 80, weight: 1000, now: 0)) {
            XCTAssertEqual($0 as? RegistryError, .invalidWeight(1000))
        }
        XCTAssertThrowsError(try registry.deregister(group: "web", id: TargetID(rawValue: 77), now: 0)) {
            XCTAssertEqual($0 as? RegistryError, .targetNotFound(group: "web", id: TargetID(rawValue: 77)))
        }
        XCTAssertThrowsError(try registry.describeTargetHealth(group: "nope"))
    }

    func testZeroDeregistrationDelayRemovesAtOnce() throws {
        let registry = TargetRegistry(configuration: try configuration(deregistrationDelay: 0), now: 0)
        let id = registry.routingTable().groups[0].targets[0].id
        try registry.deregister(group: "web", id: id, now: 1)
        XCTAssertEqual(registry.routingTable().groups[0].targets.count, 1)
    }

    func testOnChangePublishesEachNewGeneration() throws {
        let registry = TargetRegistry(configuration: try configuration(), now: 0)
        let received = Mutex<[UInt64]>([])
        registry.setOnChange { table in received.withLock { $0.append(table.generation) } }
        let id = registry.routingTable().groups[0].targets[0].id
        registry.record(check: pass, for: id, at: 1)
        registry.record(check: pass, for: id, at: 2)
        _ = try registry.register(group: "web", address: "10.0.0.3", port: 80, now: 3)
        registry.tick(now: 4)
        XCTAssertEqual(received.withLock { $0 }, [2, 3])
        XCTAssertTrue(registry.routingTable() === registry.routingTable(), "not rebuilt without a change")
    }

    func testChecksDisabledTargetsAreUnavailableAndRoutable() throws {
        let registry = TargetRegistry(configuration: try configuration(checksEnabled: false), now: 0)
        XCTAssertEqual(try states(registry), [.unavailable, .unavailable])
        XCTAssertEqual(
            try registry.describeTargetHealth(group: "web").map(\.reason), [.healthCheckDisabled, .healthCheckDisabled])
        XCTAssertTrue(registry.targetsToCheck().isEmpty)
        var worker = WorkerRouting(table: registry.routingTable(), seed: 1)
        XCTAssertEqual([worker.pick(group: 0, now: 0), worker.pick(group: 0, now: 0)], [0, 1])

        // Enabling checks in a reload puts the targets back to initial; disabling makes them unavailable.
        registry.apply(configuration: try configuration(checksEnabled: true), now: 5)
        XCTAssertEqual(try states(registry), [.initial, .initial])
        registry.apply(configuration: try configuration(checksEnabled: false), now: 6)
        XCTAssertEqual(try states(registry), [.unavailable, .unavailable])
    }

    func testReloadKeepsHealthOfStayingTargetsAndDrainsRemovedOnes() throws {
        let registry = TargetRegistry(configuration: try configuration(), now: 0)
        let ids = registry.routingTable().groups[0].targets.map(\.id)
        registry.record(check: pass, for: ids[0], at: 1)
        let runtime = try registry.register(group: "web", address: "10.0.0.8", port: 80, now: 1)

        // 9002 leaves the file, 9003 joins, 9001 stays.
        registry.apply(configuration: try configuration(targets: [("127.0.0.1", 9001), ("127.0.0.1", 9003)]), now: 10)
        let described = try registry.describeTargetHealth(group: "web")
        XCTAssertEqual(described.map(\.port), [9001, 9002, 80, 9003])
        XCTAssertEqual(described.map(\.state), [.healthy, .draining, .initial, .initial])
        XCTAssertEqual(described[0].id, ids[0], "a staying target keeps its id and health")
        XCTAssertEqual(described[2].id, runtime, "targets registered at run time survive a reload")

        // A group removed from the file drains its targets and disappears when they are gone.
        var withoutWeb = try configuration(extraGroup: true)
        withoutWeb.listeners = []
        withoutWeb.targetGroups.removeFirst()
        registry.apply(configuration: withoutWeb, now: 20)
        XCTAssertEqual(registry.targetGroupNames, ["spare", "web"])
        XCTAssertThrowsError(try registry.register(group: "web", address: "10.0.0.1", port: 80, now: 21))
        XCTAssertEqual(try states(registry), [.draining, .draining, .draining, .draining])
        XCTAssertEqual(registry.routingTable().listeners.count, 0)
        registry.tick(now: 400)
        XCTAssertEqual(registry.targetGroupNames, ["spare"])
        XCTAssertEqual(registry.routingTable().groups.map(\.name), ["spare"])
    }

    func testSlowStartFollowsALBsRules() throws {
        let registry = TargetRegistry(configuration: try configuration(slowStart: 60), now: 0)
        let ids = registry.routingTable().groups[0].targets.map(\.id)
        // The first targets of an empty group do not ramp: no settled healthy target exists yet.
        registry.record(check: pass, for: ids[0], at: 1)
        registry.record(check: pass, for: ids[1], at: 1)
        XCTAssertEqual(registry.routingTable().groups[0].targets.map(\.slowStartSince), [nil, nil])

        // A target that becomes healthy beside a settled one ramps from that moment.
        let late = try registry.register(group: "web", address: "10.0.0.3", port: 80, now: 5)
        registry.record(check: pass, for: late, at: 10)
        let table = registry.routingTable()
        XCTAssertEqual(table.groups[0].targets[2].slowStartSince, 10)
        XCTAssertEqual(table.groups[0].slowStartSeconds, 60)

        // Becoming unhealthy leaves slow start; healthy again re-enters it.
        registry.record(check: fail, for: late, at: 11)
        registry.record(check: fail, for: late, at: 12)
        XCTAssertNil(registry.routingTable().groups[0].targets[2].slowStartSince)
        registry.record(check: pass, for: late, at: 13)
        registry.record(check: pass, for: late, at: 14)
        XCTAssertEqual(registry.routingTable().groups[0].targets[2].slowStartSince, 14)

        var worker = WorkerRouting(table: registry.routingTable(), seed: 1)
        var counts = [0, 0, 0]
        for _ in 0..<3000 { counts[worker.pick(group: 0, now: 44) ?? 0] += 1 }
        XCTAssertEqual(Double(counts[2]) / 3000, 0.5 / 2.5, accuracy: 0.005, "half way through the ramp: half a share")
    }

    func testFailOpenThroughTheRegistry() throws {
        let registry = TargetRegistry(configuration: try configuration(), now: 0)
        let ids = registry.routingTable().groups[0].targets.map(\.id)
        for id in ids {
            registry.record(check: fail, for: id, at: 1)
            registry.record(check: fail, for: id, at: 2)
        }
        XCTAssertEqual(try states(registry), [.unhealthy, .unhealthy])
        var worker = WorkerRouting(table: registry.routingTable(), seed: 1)
        XCTAssertEqual((0..<4).map { _ in worker.pick(group: 0, now: 3) }, [0, 1, 0, 1])
        try registry.deregister(group: "web", id: ids[0], now: 4)
        XCTAssertTrue(worker.adopt(registry.routingTable()))
        XCTAssertEqual((0..<3).map { _ in worker.pick(group: 0, now: 5) }, [1, 1, 1], "never the draining target")
    }

    func testConcurrentCallersSeeConsistentState() throws {
        let registry = TargetRegistry(configuration: try configuration(targets: []), now: 0)
        let published = Mutex<Set<UInt64>>([])
        registry.setOnChange { table in published.withLock { _ = $0.insert(table.generation) } }
        let ids = Mutex<[TargetID]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for index in 0..<100 {
                guard let id = try? registry.register(group: "web", address: "10.\(thread).0.\(index)", port: 80, now: 1)
                else { continue }
                ids.withLock { $0.append(id) }
                registry.record(check: .success(status: 200, duration: 0), for: id, at: 2)
                _ = registry.routingTable()
                _ = registry.targetsToCheck()
            }
        }
        let registered = ids.withLock { $0 }
        XCTAssertEqual(Set(registered).count, 400)
        let table = registry.routingTable()
        XCTAssertEqual(table.groups[0].targets.count, 400)
        XCTAssertTrue(table.groups[0].targets.allSatisfy { $0.state == .healthy })
        XCTAssertEqual(table.generation, 801, "one table per registration and per state change, after the first")
        XCTAssertEqual(published.withLock { $0 }, Set(2...801))
    }
}
