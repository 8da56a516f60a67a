@testable import Scheduler
import XCTest

/// A long-lived `ClusterState` keeps cached columns (group task counts, query results, spread
/// buckets) up to date through placements, releases, upserts and removals. After any sequence of
/// those, a request must place exactly as a state freshly built from the same instances does.
final class ClusterStateConsistencyTests: XCTestCase {
    /// Operations per sequence, and sequences.
    static let operations = 400
    static let sequences = 5

    func testLongLivedStatePlacesLikeAFreshOne() throws {
        let requirements = [
            Fixture.task(cpu: 256, memory: 512, group: "service:web"),
            Fixture.task(cpu: 128, memory: 1024, group: "service:api", ports: [HostPort(80)]),
            Fixture.task(cpu: 512, memory: 256, group: "family:batch"),
        ]
        let strategySets: [[PlacementStrategy]] = [
            [.binpack(.memory)], [.spread(.instanceId)], [.spreadAcrossAvailabilityZones, .binpack(.cpu)],
            [.spread(.attribute("rack")), .spread(.instanceId)], [.random], [],
        ]
        let constraintSets: [[PlacementConstraint]] = [
            [], [.distinctInstance], [Fixture.memberOf("attribute:ecs.instance-type =~ t2.*")],
            [Fixture.memberOf("attribute:rack exists and attribute:ecs.availability-zone != c")],
            [Fixture.memberOf("not(task:group == service:api)")], [Fixture.memberOf("runningTasksCount < 5"), .distinctInstance],
        ]
        var random = SeededRandom(seed: 77)
        for sequence in 0..<Self.sequences {
            var nextNumber = 0
            func newInstance() -> ContainerInstanceCandidate {
                nextNumber += 1
                return Fixture.instance(
                    nextNumber, cpu: 1024 * (1 + random.below(4)), memory: 2048 * (1 + random.below(4)), az: ["a", "b", "c"][random.below(3)],
                    type: ["t2.small", "m5.large"][random.below(2)], extra: random.below(2) == 0 ? ["rack": .some("r\(random.below(3))")] : [:])
            }
            var state = ClusterState(instances: (0..<8).map { _ in newInstance() })
            var running: [(TaskRequirement, String)] = []
            for step in 0..<Self.operations {
                let context = "sequence \(sequence) step \(step)"
                switch random.below(10) {
                case 0..<5:
                    let requirement = requirements[random.below(requirements.count)]
                    let strategies = strategySets[random.below(strategySets.count)]
                    let constraints = constraintSets[random.below(constraintSets.count)]
                    let count = 1 + random.below(10)
                    let seed = random.next()
                    var fresh = ClusterState(instances: state.instances)
                    let expected = try fresh.place(count: count, requirement: requirement, strategies: strategies, constraints: constraints, randomSeed: seed)
                    let actual = try state.place(count: count, requirement: requirement, strategies: strategies, constraints: constraints, randomSeed: seed)
                    XCTAssertEqual(actual, expected, context)
                    XCTAssertEqual(state.instances, fresh.instances, context)
                    running += actual.placements.map { (requirement, $0.instanceArn) }
                case 5..<7 where !running.isEmpty:
                    let (requirement, arn) = running.remove(at: random.below(running.count))
                    if state.instance(arn: arn) != nil {
                        XCTAssertTrue(state.release(requirement, fromInstance: arn), context)
                    }
                case 7:
                    // The agent reports changes: status, connection, attributes, resources.
                    guard var changed = state.instances.isEmpty ? nil : state.instances[random.below(state.instances.count)] else { continue }
                    changed.status = random.below(4) == 0 ? .draining : .active
                    changed.agentConnected = random.below(6) != 0
                    changed.setAttribute(InstanceAttributeName.instanceType, value: ["t2.small", "m5.large"][random.below(2)])
                    changed.attributes["rack"] = random.below(2) == 0 ? nil : .some("r\(random.below(3))")
                    changed.setAttribute(InstanceAttributeName.availabilityZone, value: ["a", "b", "c"][random.below(3)])
                    state.upsert(changed)
                case 8:
                    state.upsert(newInstance())
                default:
                    if state.instances.count > 2 {
                        state.remove(arn: state.instances[random.below(state.instances.count)].arn)
                    }
                }
            }
        }
    }
}
