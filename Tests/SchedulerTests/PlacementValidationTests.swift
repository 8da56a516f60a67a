@testable import Scheduler
import XCTest

/// ECS's request limits, which the control plane turns into InvalidParameterException.
final class PlacementValidationTests: XCTestCase {
    func testStrategyAndConstraintLimits() throws {
        let five = Array(repeating: PlacementStrategy.binpack(.memory), count: 5)
        let ten = Array(repeating: PlacementConstraint.distinctInstance, count: 10)
        XCTAssertNoThrow(try Placer.validate(strategies: five, constraints: ten))
        XCTAssertThrowsError(try Placer.validate(strategies: five + [.random], constraints: [])) { error in
            XCTAssertEqual(error as? PlacementValidationError, .tooManyStrategies(count: 6, limit: 5))
        }
        XCTAssertThrowsError(try Placer.validate(strategies: [], constraints: ten + [.distinctInstance])) { error in
            XCTAssertEqual(error as? PlacementValidationError, .tooManyConstraints(count: 11, limit: 10))
        }
        var instances = [Fixture.instance(1)]
        XCTAssertThrowsError(
            try Placer.place(count: 1, requirement: Fixture.task(), strategies: five + five, candidates: &instances, randomSeed: 1)
        ) { error in
            XCTAssertEqual(error as? PlacementValidationError, .tooManyStrategies(count: 10, limit: 5))
        }
        XCTAssertEqual(instances, [Fixture.instance(1)], "a refused request changes nothing")
    }

    func testExpressionLengthIsCheckedForQueriesMadeDirectly() throws {
        let long = try ClusterQuery(parsing: "attribute:a == " + String(repeating: "x", count: 1990))
        XCTAssertThrowsError(try Placer.validate(strategies: [], constraints: [.memberOf(long)])) { error in
            XCTAssertEqual(error as? PlacementValidationError, .expressionTooLong(length: 2005, limit: 2000))
        }
    }

    func testMessagesNameTheParameter() {
        XCTAssertEqual(
            PlacementValidationError.tooManyStrategies(count: 6, limit: 5).message,
            "The placement strategy list has 6 entries; the maximum is 5.")
        XCTAssertTrue(PlacementValidationError.invalidStrategyField(type: "binpack", field: "disk").message.contains("cpu, memory"))
        XCTAssertTrue(PlacementValidationError.expressionNotAllowed.message.contains("distinctInstance"))
    }
}
