@testable import Scheduler
import XCTest

/// How each strategy ranks instances, and how a list of them refines the ranking.
final class PlacementStrategyTests: XCTestCase {
    private func place(
        _ count: Int, _ task: TaskRequirement = Fixture.task(), on instances: inout [ContainerInstanceCandidate],
        strategies: [PlacementStrategy], constraints: [PlacementConstraint] = [], seed: UInt64 = 7
    ) throws -> PlacementResult {
        try Placer.place(count: count, requirement: task, strategies: strategies, constraints: constraints, candidates: &instances, randomSeed: seed)
    }

    func testBinpackMemoryPicksLeastRemainingMemoryThatStillFits() throws {
        var instances = [
            Fixture.instance(1, memory: 4000), Fixture.instance(2, memory: 1000),
            Fixture.instance(3, memory: 400),  // least, but too little for 512
            Fixture.instance(4, memory: 2000),
        ]
        let result = try place(1, on: &instances, strategies: [.binpack(.memory)])
        XCTAssertEqual(Fixture.numbers(result), [2])
        XCTAssertEqual(instances[1].remainingMemory, 1000 - 512)
    }

    func testBinpackFillsOneInstanceBeforeTheNext() throws {
        // Three equal instances, each with room for 4 tasks (by memory).
        var instances = (1...3).map { Fixture.instance($0, memory: 2048) }
        let result = try place(10, on: &instances, strategies: [.binpack(.memory)])
        let order = Fixture.numbers(result)
        XCTAssertEqual(result.placements.count, 10)
        XCTAssertEqual(Set(order.prefix(4)).count, 1, "first four on one instance: \(order)")
        XCTAssertEqual(Set(order[4..<8]).count, 1, "next four on a second one: \(order)")
        XCTAssertEqual(Set(order.suffix(2)).count, 1, "last two on the third: \(order)")
        XCTAssertEqual(Set(order).count, 3)
        XCTAssertEqual(instances.map(\.remainingMemory).sorted(), [0, 0, 1024])
    }

    func testBinpackCPU() throws {
        var instances = [Fixture.instance(1, cpu: 1024), Fixture.instance(2, cpu: 512), Fixture.instance(3, cpu: 2048)]
        let result = try place(4, Fixture.task(cpu: 256, memory: 1), on: &instances, strategies: [.binpack(.cpu)])
        XCTAssertEqual(Fixture.numbers(result), [2, 2, 1, 1])
    }

    func testSpreadInstanceIdTakesTurnsAndCountsRunningGroupTasks() throws {
        var instances = [
            Fixture.instance(1, groups: ["family:web": 2, "service:other": 9]),
            Fixture.instance(2),
            Fixture.instance(3, groups: ["family:web": 1]),
        ]
        let result = try place(6, on: &instances, strategies: [.spread(.instanceId)])
        // Only family:web tasks count: after 6 more, 3 + 3 + 3 -> 1 gets 1, 2 gets 3, 3 gets 2.
        XCTAssertEqual(Fixture.histogram(result), [1: 1, 2: 3, 3: 2])
        XCTAssertEqual(instances.map { $0.taskCount(inGroup: "family:web") }, [3, 3, 3])
        // `host` means the same.
        XCTAssertEqual(try PlacementStrategy(type: "spread", field: "host"), .spread(.instanceId))
    }

    func testSpreadAvailabilityZoneBalancesZonesNotInstances() throws {
        var instances = [
            Fixture.instance(1, az: "a"),
            Fixture.instance(2, az: "b"), Fixture.instance(3, az: "b"),
            Fixture.instance(4, az: "c"), Fixture.instance(5, az: "c"), Fixture.instance(6, az: "c"),
        ]
        let result = try place(9, on: &instances, strategies: [.spreadAcrossAvailabilityZones])
        var perZone: [String: Int] = [:]
        for placement in result.placements {
            let zone = instances.first { $0.arn == placement.instanceArn }?.attributes[InstanceAttributeName.availabilityZone] ?? nil
            perZone[zone ?? "?", default: 0] += 1
        }
        XCTAssertEqual(perZone, ["a": 3, "b": 3, "c": 3])
        // Each round of three covers every zone once.
        for round in 0..<3 {
            let zones = Set(Fixture.numbers(result)[(round * 3)..<(round * 3 + 3)].map { [1: "a", 2: "b", 3: "b", 4: "c", 5: "c", 6: "c"][$0]! })
            XCTAssertEqual(zones, ["a", "b", "c"], "round \(round)")
        }
    }

    func testSpreadOnAttributeCountsInstancesWithoutItAsOneValue() throws {
        var instances = [
            Fixture.instance(1, extra: ["rack": "r1"]), Fixture.instance(2, extra: ["rack": "r2"]),
            Fixture.instance(3), Fixture.instance(4),
        ]
        let result = try place(6, on: &instances, strategies: [.spread(.attribute("rack"))])
        let histogram = Fixture.histogram(result)
        XCTAssertEqual(histogram[1], 2)
        XCTAssertEqual(histogram[2], 2)
        XCTAssertEqual((histogram[3] ?? 0) + (histogram[4] ?? 0), 2)
    }

    func testSpreadThenBinpackPacksWithinTheLeastUsedZone() throws {
        var instances = [
            Fixture.instance(1, memory: 1000, az: "a"), Fixture.instance(2, memory: 2000, az: "a"),
            Fixture.instance(3, memory: 3000, az: "b"), Fixture.instance(4, memory: 800, az: "b"),
        ]
        let task = Fixture.task(memory: 100)
        let result = try place(4, task, on: &instances, strategies: [.spreadAcrossAvailabilityZones, .binpack(.memory)])
        // Zones tie: least memory overall (4, in b). Then a is behind: least memory in a (1).
        // Then tied again: 4 (700 left) beats 1 (900 left). Then a: 1.
        XCTAssertEqual(Fixture.numbers(result), [4, 1, 4, 1])
    }

    func testSpreadZoneThenSpreadInstance() throws {
        var instances = [
            Fixture.instance(1, az: "a"), Fixture.instance(2, az: "a"),
            Fixture.instance(3, az: "b"), Fixture.instance(4, az: "b"),
        ]
        let result = try place(8, on: &instances, strategies: [.spreadAcrossAvailabilityZones, .spread(.instanceId)])
        XCTAssertEqual(Fixture.histogram(result), [1: 2, 2: 2, 3: 2, 4: 2])
    }

    func testBinpackThenSpreadBreaksTiesBySpread() throws {
        var instances = [
            Fixture.instance(1, memory: 1024, groups: ["family:web": 1]),
            Fixture.instance(2, memory: 1024), Fixture.instance(3, memory: 4096),
        ]
        let result = try place(1, on: &instances, strategies: [.binpack(.memory), .spread(.instanceId)])
        XCTAssertEqual(Fixture.numbers(result), [2])
    }

    func testRandomUsesEveryEligibleInstanceAndOnlyThose() throws {
        var seen: Set<Int> = []
        for seed in 0..<200 as Range<UInt64> {
            var instances = (1...5).map { Fixture.instance($0, memory: $0 == 3 ? 100 : 8192) }
            seen.formUnion(Fixture.numbers(try place(1, on: &instances, strategies: [.random], seed: seed)))
        }
        XCTAssertEqual(seen, [1, 2, 4, 5])
    }

    func testRulesAfterRandomDoNotChangeAnything() throws {
        for seed in 0..<20 as Range<UInt64> {
            var first = (1...8).map { Fixture.instance($0, memory: 1024 * $0) }
            var second = first
            let plain = try place(5, on: &first, strategies: [.random], seed: seed)
            let chained = try place(5, on: &second, strategies: [.random, .binpack(.memory), .spread(.instanceId)], seed: seed)
            XCTAssertEqual(plain, chained)
        }
    }

    func testStrategyFromAPIForm() throws {
        XCTAssertEqual(try PlacementStrategy(type: "random", field: nil), .random)
        XCTAssertEqual(try PlacementStrategy(type: "random", field: "ignored"), .random)
        XCTAssertEqual(try PlacementStrategy(type: "binpack", field: "cpu"), .binpack(.cpu))
        XCTAssertEqual(try PlacementStrategy(type: "binpack", field: "memory"), .binpack(.memory))
        XCTAssertEqual(try PlacementStrategy(type: "spread", field: "instanceId"), .spread(.instanceId))
        XCTAssertEqual(try PlacementStrategy(type: "spread", field: "attribute:ecs.availability-zone"), .spreadAcrossAvailabilityZones)
        XCTAssertEqual(PlacementStrategy.spreadAcrossAvailabilityZones.field, "attribute:ecs.availability-zone")
        let invalid: [(String, String?, PlacementValidationError)] = [
            ("binpack", nil, .invalidStrategyField(type: "binpack", field: nil)),
            ("binpack", "disk", .invalidStrategyField(type: "binpack", field: "disk")),
            ("spread", nil, .invalidStrategyField(type: "spread", field: nil)),
            ("spread", "attribute:", .invalidStrategyField(type: "spread", field: "attribute:")),
            ("spread", "zone", .invalidStrategyField(type: "spread", field: "zone")),
            ("pack", "cpu", .unknownStrategyType("pack")),
        ]
        for (type, field, expected) in invalid {
            XCTAssertThrowsError(try PlacementStrategy(type: type, field: field)) { error in
                XCTAssertEqual(error as? PlacementValidationError, expected)
            }
        }
    }
}
