@testable import Scheduler
import XCTest

/// CPU, memory and ports are taken by each placement and given back by `release`; what cannot
/// be placed is reported with ECS's reasons.
final class ResourceAccountingTests: XCTestCase {
    func testPlacementTakesCPUMemoryPortsAndGroupCounts() throws {
        var instances = [Fixture.instance(1, cpu: 1024, memory: 2048)]
        let task = Fixture.task(cpu: 300, memory: 700, group: "service:web", ports: [HostPort(80), HostPort(53, .udp)])
        let result = try Placer.place(count: 1, requirement: task, candidates: &instances, randomSeed: 1)
        XCTAssertEqual(result.placements, [Placement(taskIndex: 0, instanceArn: Fixture.arn(1), instanceId: "ci-1")])
        XCTAssertEqual(instances[0].remainingCPU, 724)
        XCTAssertEqual(instances[0].remainingMemory, 1348)
        XCTAssertEqual(instances[0].usedPorts, [HostPort(80), HostPort(53, .udp)])
        XCTAssertEqual(instances[0].taskGroupCounts, ["service:web": 1])
        XCTAssertEqual(instances[0].runningTasksCount, 1)
    }

    func testReleaseGivesResourcesBack() throws {
        let original = Fixture.instance(1, cpu: 1024, memory: 2048)
        var state = ClusterState(instances: [original])
        let task = Fixture.task(cpu: 512, memory: 1024, ports: [HostPort(8080)])
        let placed = try state.place(count: 2, requirement: task, randomSeed: 3)
        XCTAssertEqual(placed.placements.count, 1)
        XCTAssertEqual(placed.failures, [PlacementFailure(arn: Fixture.arn(1), reason: .ports)])
        XCTAssertTrue(state.release(task, fromInstance: Fixture.arn(1)))
        XCTAssertEqual(state.instance(arn: Fixture.arn(1)), original)
        XCTAssertFalse(state.release(task, fromInstance: Fixture.arn(1)), "nothing of the group is left to release")
        XCTAssertFalse(state.release(task, fromInstance: "arn:unknown"))
        XCTAssertEqual(try state.place(count: 1, requirement: task, randomSeed: 3).placements.count, 1)
    }

    func testPortsCollideOnlyForTheSameProtocol() throws {
        var instances = [Fixture.instance(1, usedPorts: [HostPort(22)]), Fixture.instance(2)]
        let web = Fixture.task(memory: 64, ports: [HostPort(80)])
        let result = try Placer.place(count: 3, requirement: web, strategies: [.binpack(.memory)], candidates: &instances, randomSeed: 5)
        XCTAssertEqual(Set(Fixture.numbers(result)), [1, 2])
        XCTAssertEqual(result.unplacedCount, 1)
        XCTAssertEqual(Set(result.failures.map(\.reason)), [.ports])
        XCTAssertEqual(result.failures.first?.reason.rawValue, "RESOURCE:PORTS")
        let dns = Fixture.task(memory: 64, group: "service:dns", ports: [HostPort(80, .udp)])
        XCTAssertEqual(try Placer.place(count: 2, requirement: dns, candidates: &instances, randomSeed: 5).placements.count, 2)
        let ssh = Fixture.task(memory: 64, group: "service:ssh", ports: [HostPort(22)])
        XCTAssertEqual(Fixture.numbers(try Placer.place(count: 1, requirement: ssh, candidates: &instances, randomSeed: 5)), [2])
    }

    func testMemoryRunsOutWithECSReason() throws {
        var instances = (1...3).map { Fixture.instance($0, cpu: 100_000, memory: 1000) }
        let result = try Placer.place(
            count: 10, requirement: Fixture.task(memory: 400), strategies: [.spread(.instanceId)], candidates: &instances, randomSeed: 1)
        XCTAssertEqual(result.placements.count, 6)
        XCTAssertEqual(result.unplacedCount, 4)
        XCTAssertEqual(result.failures, (1...3).map { PlacementFailure(arn: Fixture.arn($0), reason: .memory) })
        XCTAssertEqual(result.failures.first?.reason.rawValue, "RESOURCE:MEMORY")
        XCTAssertEqual(instances.map(\.remainingMemory), [200, 200, 200])
    }

    func testReasonsInECSOrderPerInstance() throws {
        var instances = [
            Fixture.instance(1, agentConnected: false),
            Fixture.instance(2, type: "t2.small", extra: [:]),
            Fixture.instance(3, cpu: 100, memory: 100, extra: ["gpu": "1"]),  // CPU is reported before memory
            Fixture.instance(4, memory: 100, extra: ["gpu": "1"]),
            Fixture.instance(5, usedPorts: [HostPort(443)], extra: ["gpu": "1"]),
            Fixture.instance(6, status: .draining, extra: ["gpu": "1"]),  // not a candidate, not listed
            Fixture.instance(7, status: .inactive, extra: ["gpu": "1"]),
        ]
        let task = Fixture.task(ports: [HostPort(443)], requires: [RequiredAttribute(name: "gpu")])
        let result = try Placer.place(count: 1, requirement: task, candidates: &instances, randomSeed: 1)
        XCTAssertEqual(result.unplacedCount, 1)
        XCTAssertEqual(
            result.failures.map { "\($0.arn.suffix(4)) \($0.reason.rawValue)" },
            ["ci-1 AGENT", "ci-2 ATTRIBUTE", "ci-3 RESOURCE:CPU", "ci-4 RESOURCE:MEMORY", "ci-5 RESOURCE:PORTS"])
    }

    func testRequiredAttributeValueMustMatch() throws {
        var instances = [Fixture.instance(1, extra: ["disk": "hdd"]), Fixture.instance(2, extra: ["disk": "ssd"])]
        let task = Fixture.task(requires: [RequiredAttribute(name: "disk", value: "ssd")])
        XCTAssertEqual(Fixture.numbers(try Placer.place(count: 1, requirement: task, candidates: &instances, randomSeed: 1)), [2])
    }

    func testDrainingInstancesAreSkipped() throws {
        var instances = [Fixture.instance(1, status: .draining), Fixture.instance(2), Fixture.instance(3, status: .draining)]
        let result = try Placer.place(count: 4, requirement: Fixture.task(), strategies: [.spread(.instanceId)], candidates: &instances, randomSeed: 1)
        XCTAssertEqual(Fixture.numbers(result), [2, 2, 2, 2])

        var allDraining = [Fixture.instance(1, status: .draining)]
        let none = try Placer.place(count: 2, requirement: Fixture.task(), candidates: &allDraining, randomSeed: 1)
        XCTAssertEqual(none, PlacementResult(placements: [], failures: [], unplacedCount: 2))
        XCTAssertEqual(allDraining, [Fixture.instance(1, status: .draining)])
    }

    func testZeroTasksAndNegativeCount() throws {
        var instances = [Fixture.instance(1)]
        XCTAssertEqual(try Placer.place(count: 0, requirement: Fixture.task(), candidates: &instances, randomSeed: 1).placements, [])
        XCTAssertThrowsError(try Placer.place(count: -1, requirement: Fixture.task(), candidates: &instances, randomSeed: 1)) { error in
            XCTAssertEqual(error as? PlacementValidationError, .invalidCount(-1))
        }
    }

    /// memoryReservation is what ECS subtracts when given; memory otherwise; task-level values win.
    func testReservationRules() {
        let containers = [
            ContainerReservation(cpu: 128, memory: 512, memoryReservation: 256, hostPorts: [HostPort(80)]),
            ContainerReservation(memory: 300),
            ContainerReservation(cpu: 64, memoryReservation: 100),
        ]
        let summed = TaskRequirement(family: "web", taskCPU: nil, taskMemory: nil, containers: containers)
        XCTAssertEqual(summed.cpu, 192)
        XCTAssertEqual(summed.memory, 256 + 300 + 100)
        XCTAssertEqual(summed.hostPorts, [HostPort(80)])
        XCTAssertEqual(summed.group, "family:web")
        let taskLevel = TaskRequirement(family: "web", group: "service:web", taskCPU: 1024, taskMemory: 2048, containers: containers)
        XCTAssertEqual(taskLevel.cpu, 1024)
        XCTAssertEqual(taskLevel.memory, 2048)
        XCTAssertEqual(taskLevel.group, "service:web")
    }

    func testStateKeepsInstancesByArn() {
        var state = ClusterState(instances: [Fixture.instance(1), Fixture.instance(2), Fixture.instance(1, memory: 5)])
        XCTAssertEqual(state.instances.count, 2)
        XCTAssertEqual(state.instance(arn: Fixture.arn(1))?.remainingMemory, 5)
        XCTAssertEqual(state.remove(arn: Fixture.arn(1))?.remainingMemory, 5)
        XCTAssertNil(state.instance(arn: Fixture.arn(1)))
        XCTAssertEqual(state.instance(arn: Fixture.arn(2))?.id, "ci-2")
        state.upsert(Fixture.instance(3))
        XCTAssertEqual(state.instances.map(\.id), ["ci-2", "ci-3"])
    }
}
