@testable import Scheduler
import XCTest

/// Constraints are binding: distinctInstance and memberOf, static and task-dependent.
final class PlacementConstraintTests: XCTestCase {
    private func place(
        _ count: Int, _ task: TaskRequirement = Fixture.task(), on instances: inout [ContainerInstanceCandidate],
        strategies: [PlacementStrategy] = [], constraints: [PlacementConstraint]
    ) throws -> PlacementResult {
        try Placer.place(count: count, requirement: task, strategies: strategies, constraints: constraints, candidates: &instances, randomSeed: 11)
    }

    func testDistinctInstanceNeverDoublesUpAndFailsTheRest() throws {
        var instances = (1...3).map { Fixture.instance($0) }
        let result = try place(5, on: &instances, strategies: [.binpack(.memory)], constraints: [.distinctInstance])
        XCTAssertEqual(Set(Fixture.numbers(result)), [1, 2, 3])
        XCTAssertEqual(result.unplacedCount, 2)
        XCTAssertEqual(
            result.failures, (1...3).map { PlacementFailure(arn: Fixture.arn($0), reason: .distinctInstance) })
        XCTAssertEqual(result.failures.first?.reason.rawValue, "DistinctInstance placement constraint unsatisfied.")
    }

    func testDistinctInstanceCountsRunningTasksOfTheGroupOnly() throws {
        var instances = [
            Fixture.instance(1, groups: ["service:web": 1]),
            Fixture.instance(2, groups: ["service:api": 4]),
        ]
        let result = try place(1, Fixture.task(group: "service:web"), on: &instances, constraints: [.distinctInstance])
        XCTAssertEqual(Fixture.numbers(result), [2])
    }

    func testMemberOfAttributeRestrictsCandidates() throws {
        var instances = [
            Fixture.instance(1, type: "t2.small"), Fixture.instance(2, type: "m5.large"),
            Fixture.instance(3, type: "t2.medium"), Fixture.instance(4, type: "c5.xlarge"),
        ]
        let result = try place(
            20, Fixture.task(memory: 64), on: &instances, strategies: [.spread(.instanceId)],
            constraints: [Fixture.memberOf("attribute:ecs.instance-type =~ t2.*")])
        XCTAssertEqual(Fixture.histogram(result), [1: 10, 3: 10])
    }

    func testMemberOfTaskGroupAffinity() throws {
        var instances = [Fixture.instance(1), Fixture.instance(2, groups: ["service:db": 1]), Fixture.instance(3)]
        let result = try place(3, on: &instances, constraints: [Fixture.memberOf("task:group == service:db")])
        XCTAssertEqual(Fixture.numbers(result), [2, 2, 2])
    }

    /// `not(task:group == G)` for tasks of G itself changes with every placement: the instance
    /// just used must drop out.
    func testTaskDependentQueryIsReevaluatedAfterEachPlacement() throws {
        var instances = (1...4).map { Fixture.instance($0) }
        let result = try place(
            6, Fixture.task(group: "service:web"), on: &instances, strategies: [.binpack(.memory)],
            constraints: [Fixture.memberOf("not(task:group == service:web)")])
        XCTAssertEqual(Set(Fixture.numbers(result)).count, 4)
        XCTAssertEqual(result.unplacedCount, 2)
        XCTAssertEqual(Set(result.failures.map(\.reason)), [.memberOf])
        XCTAssertEqual(result.failures.first?.reason.rawValue, "MemberOf placement constraint unsatisfied.")

        var counted = (1...3).map { Fixture.instance($0) }
        let byCount = try place(
            7, on: &counted, strategies: [.binpack(.memory)], constraints: [Fixture.memberOf("runningTasksCount < 2")])
        XCTAssertEqual(Fixture.histogram(byCount).values.sorted(), [2, 2, 2])
        XCTAssertEqual(byCount.unplacedCount, 1)
    }

    func testFailureNamesTheFirstUnsatisfiedConstraintInRequestOrder() throws {
        let template = [Fixture.instance(1, type: "m5.large", groups: ["family:web": 1])]
        var first = template
        let memberFirst = try place(
            1, on: &first, constraints: [Fixture.memberOf("attribute:ecs.instance-type == t2.small"), .distinctInstance])
        XCTAssertEqual(memberFirst.failures, [PlacementFailure(arn: Fixture.arn(1), reason: .memberOf)])
        var second = template
        let distinctFirst = try place(
            1, on: &second, constraints: [.distinctInstance, Fixture.memberOf("attribute:ecs.instance-type == t2.small")])
        XCTAssertEqual(distinctFirst.failures, [PlacementFailure(arn: Fixture.arn(1), reason: .distinctInstance)])
    }

    func testSeveralConstraintsAllApply() throws {
        var instances = [
            Fixture.instance(1, az: "a", type: "t2.small"), Fixture.instance(2, az: "b", type: "t2.small"),
            Fixture.instance(3, az: "a", type: "m5.large"), Fixture.instance(4, az: "c", type: "t2.small"),
        ]
        let result = try place(
            5, on: &instances,
            constraints: [
                Fixture.memberOf("attribute:ecs.instance-type == t2.small"),
                Fixture.memberOf("attribute:ecs.availability-zone in [a, b]"), .distinctInstance,
            ])
        XCTAssertEqual(Set(Fixture.numbers(result)), [1, 2])
        XCTAssertEqual(result.unplacedCount, 3)
        XCTAssertEqual(
            result.failures,
            [
                PlacementFailure(arn: Fixture.arn(1), reason: .distinctInstance),
                PlacementFailure(arn: Fixture.arn(2), reason: .distinctInstance),
                PlacementFailure(arn: Fixture.arn(3), reason: .memberOf),
                PlacementFailure(arn: Fixture.arn(4), reason: .memberOf),
            ])
    }

    func testConstraintFromAPIForm() throws {
        XCTAssertEqual(try PlacementConstraint(type: "distinctInstance", expression: nil), .distinctInstance)
        XCTAssertEqual(try PlacementConstraint(type: "distinctInstance", expression: ""), .distinctInstance)
        let memberOf = try PlacementConstraint(type: "memberOf", expression: "attribute:a == b")
        XCTAssertEqual(memberOf.expression, "attribute:a == b")
        let invalid: [(String, String?, PlacementValidationError)] = [
            ("distinctInstance", "attribute:a == b", .expressionNotAllowed),
            ("memberOf", nil, .expressionRequired),
            ("memberOf", "", .expressionRequired),
            ("sameZone", nil, .unknownConstraintType("sameZone")),
        ]
        for (type, expression, expected) in invalid {
            XCTAssertThrowsError(try PlacementConstraint(type: type, expression: expression)) { error in
                XCTAssertEqual(error as? PlacementValidationError, expected)
            }
        }
        // 2000 characters are allowed, 2001 are not.
        let longest = "attribute:a == " + String(repeating: "x", count: 2000 - 15)
        XCTAssertNoThrow(try PlacementConstraint(type: "memberOf", expression: longest))
        XCTAssertThrowsError(try PlacementConstraint(type: "memberOf", expression: longest + "x")) { error in
            XCTAssertEqual(error as? PlacementValidationError, .expressionTooLong(length: 2001, limit: 2000))
        }
    }
}
