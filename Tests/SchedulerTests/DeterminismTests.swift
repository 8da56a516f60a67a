@testable import Scheduler
import XCTest

/// The same seed on the same cluster places the same way; other seeds break ties differently.
final class DeterminismTests: XCTestCase {
    private func run(seed: UInt64, strategies: [PlacementStrategy]) throws -> PlacementResult {
        var instances = (1...50).map { Fixture.instance($0, az: ["a", "b", "c"][$0 % 3]) }
        return try Placer.place(count: 40, requirement: Fixture.task(), strategies: strategies, candidates: &instances, randomSeed: seed)
    }

    func testSameSeedSamePlacement() throws {
        for strategies: [PlacementStrategy] in [[], [.random], [.spreadAcrossAvailabilityZones], [.binpack(.memory)]] {
            XCTAssertEqual(try run(seed: 42, strategies: strategies), try run(seed: 42, strategies: strategies), "\(strategies)")
        }
    }

    func testDifferentSeedsBreakTiesDifferently() throws {
        let placements = try (0..<8 as Range<UInt64>).map { try run(seed: $0, strategies: [.random]).placements }
        XCTAssertGreaterThan(Set(placements).count, 1)
        let spread = try (0..<8 as Range<UInt64>).map { try run(seed: $0, strategies: [.spreadAcrossAvailabilityZones]).placements }
        XCTAssertGreaterThan(Set(spread).count, 1, "ties inside a zone are broken at random")
    }

    func testStatefulPlacementMatchesOneShotPlacement() throws {
        let instances = (1...20).map { Fixture.instance($0, memory: 4096) }
        var state = ClusterState(instances: instances)
        var copy = instances
        let stateful = try state.place(count: 30, requirement: Fixture.task(), strategies: [.binpack(.memory)], randomSeed: 9)
        let oneShot = try Placer.place(count: 30, requirement: Fixture.task(), strategies: [.binpack(.memory)], candidates: &copy, randomSeed: 9)
        XCTAssertEqual(stateful, oneShot)
        XCTAssertEqual(state.instances, copy)
    }
}
