@testable import Scheduler
import XCTest

/// Random clusters, requests and constraints, each placement checked against a plain
/// re-computation: the chosen instance satisfied every rule at the time, nothing was
/// overcommitted, the choice was among the best by the strategies, and when tasks were left
/// over no instance could take one, for the reasons reported.
final class PlacementPropertyTests: XCTestCase {
    /// How many random clusters to try.
    static let rounds = 300

    private let zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
    private let types = ["t2.small", "t2.medium", "m5.large", "c5.xlarge"]
    private let groups = ["service:web", "service:api", "family:batch"]
    private let expressions = [
        "attribute:ecs.instance-type =~ t2.*",
        "attribute:ecs.availability-zone != us-east-1c",
        "attribute:ecs.instance-type in [m5.large, c5.xlarge] or attribute:rack exists",
        "not(task:group == service:web)",
        "task:group != service:api and attribute:rack !exists",
        "runningTasksCount < 4",
        "attribute:rack == r1 or attribute:ecs.availability-zone == us-east-1a",
    ]

    func testRandomClustersAreNeverOvercommittedAndChoicesAreBest() throws {
        var random = SeededRandom(seed: 2024)
        for round in 0..<Self.rounds {
            let instanceCount = 1 + random.below(12)
            let instances: [ContainerInstanceCandidate] = (0..<instanceCount).map { number in
                var groupCounts: [String: Int] = [:]
                for group in groups where random.below(3) == 0 { groupCounts[group] = 1 + random.below(2) }
                var extra: [String: String?] = [:]
                if random.below(3) == 0 { extra["rack"] = .some(["r1", "r2"][random.below(2)]) }
                if random.below(5) == 0 { extra["gpu"] = .some(nil) }
                let statuses: [ContainerInstanceCandidate.Status] = [.active, .active, .active, .active, .draining]
                let usedPorts: Set<HostPort> = random.below(3) == 0 ? [HostPort(80)] : []
                return Fixture.instance(
                    number, cpu: 256 * random.below(9), memory: 256 * random.below(17),
                    az: random.below(6) == 0 ? nil : zones[random.below(zones.count)], type: types[random.below(types.count)],
                    status: statuses[random.below(statuses.count)], agentConnected: random.below(8) != 0,
                    usedPorts: usedPorts, groups: groupCounts, extra: extra)
            }
            let task = Fixture.task(
                cpu: 128 * random.below(5), memory: 128 * (1 + random.below(6)), group: groups[random.below(groups.count)],
                ports: random.below(4) == 0 ? [HostPort(80)] : [],
                requires: random.below(6) == 0 ? [RequiredAttribute(name: "gpu")] : [])
            let strategyChoices: [PlacementStrategy] = [
                .random, .binpack(.cpu), .binpack(.memory), .spread(.instanceId), .spreadAcrossAvailabilityZones, .spread(.attribute("rack")),
            ]
            let strategies = (0..<random.below(4)).map { _ in strategyChoices[random.below(strategyChoices.count)] }
            var constraints: [PlacementConstraint] = (0..<random.below(3)).map { _ in Fixture.memberOf(expressions[random.below(expressions.count)]) }
            if random.below(3) == 0 { constraints.insert(.distinctInstance, at: random.below(constraints.count + 1)) }
            let count = 1 + random.below(25)

            var placed = instances
            let result = try Placer.place(
                count: count, requirement: task, strategies: strategies, constraints: constraints, candidates: &placed,
                randomSeed: UInt64(round))
            let context = "round \(round): \(strategies) \(constraints) count \(count)"
            check(result, initial: instances, final: placed, task: task, strategies: strategies, constraints: constraints, count: count, context)
        }
    }

    private func check(
        _ result: PlacementResult, initial: [ContainerInstanceCandidate], final: [ContainerInstanceCandidate], task: TaskRequirement,
        strategies: [PlacementStrategy], constraints: [PlacementConstraint], count: Int, _ context: String
    ) {
        XCTAssertEqual(result.placements.count + result.unplacedCount, count, context)
        XCTAssertEqual(result.placements.map(\.taskIndex), Array(0..<result.placements.count), context)
        var replay = initial
        for placement in result.placements {
            guard let chosen = replay.firstIndex(where: { $0.arn == placement.instanceArn }) else {
                return XCTFail("placed on unknown \(placement.instanceArn); \(context)")
            }
            XCTAssertNil(reason(replay[chosen], task, constraints), "chosen instance was not eligible; \(context)")
            let eligible = replay.indices.filter { reason(replay[$0], task, constraints) == nil }
            let best = eligible.map { keys(of: $0, in: replay, task: task, strategies: strategies) }.min { $0.lexicographicallyPrecedes($1) }
            XCTAssertEqual(keys(of: chosen, in: replay, task: task, strategies: strategies), best, "not among the best; \(context)")
            replay[chosen].remainingCPU -= task.cpu
            replay[chosen].remainingMemory -= task.memory
            replay[chosen].usedPorts.formUnion(task.hostPorts)
            replay[chosen].taskGroupCounts[task.group, default: 0] += 1
            replay[chosen].runningTasksCount += 1
        }
        XCTAssertEqual(final, replay, "resources written back differ from the replay; \(context)")
        for instance in final {
            XCTAssertGreaterThanOrEqual(instance.remainingCPU, 0, context)
            XCTAssertGreaterThanOrEqual(instance.remainingMemory, 0, context)
        }
        let before = Dictionary(uniqueKeysWithValues: initial.map { ($0.arn, $0) })
        for placement in result.placements {
            let instance = before[placement.instanceArn]!
            XCTAssertEqual(instance.status, .active, context)
            XCTAssertTrue(instance.agentConnected, context)
        }
        if constraints.contains(.distinctInstance) {
            for instance in final {
                XCTAssertLessThanOrEqual(instance.taskCount(inGroup: task.group) - (before[instance.arn]?.taskCount(inGroup: task.group) ?? 0), 1, context)
            }
        }
        if result.unplacedCount > 0 {
            let expected = final.compactMap { instance in
                instance.status == .active ? reason(instance, task, constraints).map { PlacementFailure(arn: instance.arn, reason: $0) } : nil
            }
            XCTAssertEqual(expected.count, final.filter { $0.status == .active }.count, "an instance could still take a task; \(context)")
            XCTAssertEqual(result.failures, expected, context)
        } else {
            XCTAssertEqual(result.failures, [], context)
        }
    }

    /// Written independently of the placer: the first reason in ECS's order, nil if eligible
    /// (instances that are not ACTIVE are never eligible and have no reason; callers filter).
    private func reason(_ instance: ContainerInstanceCandidate, _ task: TaskRequirement, _ constraints: [PlacementConstraint]) -> PlacementFailureReason? {
        if instance.status != .active { return .agent }
        if !instance.agentConnected { return .agent }
        if !task.requiredAttributes.allSatisfy({ instance.attributes.keys.contains($0.name) }) { return .attribute }
        if instance.remainingCPU < task.cpu { return .cpu }
        if instance.remainingMemory < task.memory { return .memory }
        if !instance.usedPorts.isDisjoint(with: task.hostPorts) { return .ports }
        for constraint in constraints {
            switch constraint {
            case .distinctInstance where (instance.taskGroupCounts[task.group] ?? 0) > 0: return .distinctInstance
            case .memberOf(let query) where !query.matches(instance): return .memberOf
            default: continue
            }
        }
        return nil
    }

    /// The ranking keys of instance `index`: one per strategy up to the first `random`.
    private func keys(of index: Int, in instances: [ContainerInstanceCandidate], task: TaskRequirement, strategies: [PlacementStrategy]) -> [Int] {
        var keys: [Int] = []
        for strategy in strategies {
            switch strategy {
            case .random: return keys
            case .binpack(.cpu): keys.append(instances[index].remainingCPU)
            case .binpack(.memory): keys.append(instances[index].remainingMemory)
            case .spread(.instanceId): keys.append(instances[index].taskGroupCounts[task.group] ?? 0)
            case .spread(.attribute(let name)):
                let value = instances[index].attributes[name].flatMap { $0 }
                keys.append(
                    instances.filter { $0.attributes[name].flatMap { $0 } == value }
                        .reduce(0) { $0 + ($1.taskGroupCounts[task.group] ?? 0) })
            }
        }
        return keys
    }
}
