@testable import Scheduler
import XCTest

/// The cluster query language: what parses (with ECS's own documented examples), and where and
/// why what does not.
final class ClusterQueryParserTests: XCTestCase {
    func testValidExpressionsParse() throws {
        let valid = [
            // The examples of ECS's "Cluster query language" page.
            "attribute:ecs.instance-type == t2.small",
            "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
            "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
            "task:group == service:production",
            "not(task:group == database)",
            "runningTasksCount == 1",
            "agentVersion < 1.14.5",
            "registeredAt < 2018-02-13",
            "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']",
            "(attribute:a == 1 or attribute:b == 2) and attribute:c == 3",
            // Word operators, symbols, spacing and case of keywords.
            "attribute:stack equals prod",
            "attribute:stack not_equals prod",
            "attribute:size greater_than 3 AND attribute:size less_than_equal 10",
            "attribute:size greater_than_equal 3 || attribute:size less_than 1",
            "attribute:gpu exists",
            "attribute:gpu !exists",
            "attribute:gpu not_exists",
            "attribute:zone !in [a,b]",
            "attribute:zone not_in [a]",
            "attribute:name matches 'web-.*'",
            "attribute:name not_matches web-.*",
            "attribute:name !~ [a-c]+x",
            "attribute:a==b&&attribute:c!=d",
            "!attribute:a exists",
            "not not attribute:a exists",
            "NOT (attribute:a == b OR attribute:c == d)",
            "  attribute:a == \"two words\"  ",
            "agentConnected == true",
            "agentConnected in [true, FALSE]",
            "registeredAt >= 2018-06-18T22:28:28+00:00",
            "registeredAt > 2018-06-18T22:28:28Z",
            "registeredAt <= 2018-06-18T22:28:28",
            "task:group in [service:web, family:batch]",
            "task:group =~ service:.*",
            "(attribute:ecs.instance-type =~ t2.*) and not(attribute:rack =~ [)x]+)",
            "attribute:a == 'x'and attribute:b exists",
        ]
        for expression in valid {
            XCTAssertNoThrow(try ClusterQuery(parsing: expression), expression)
        }
    }

    func testAndBindsTighterThanOr() throws {
        let query = try ClusterQuery(parsing: "attribute:a == 1 or attribute:b == 2 and attribute:c == 3")
        guard case .or(_, .and) = query.root else {
            return XCTFail("expected or(a, and(b, c)), got \(query.root)")
        }
        let grouped = try ClusterQuery(parsing: "(attribute:a == 1 or attribute:b == 2) and attribute:c == 3")
        guard case .and(.or, _) = grouped.root else {
            return XCTFail("expected and(or(a, b), c), got \(grouped.root)")
        }
    }

    func testArgumentsAreReadInTheirTypedForm() throws {
        let query = try ClusterQuery(parsing: "registeredAt < 2018-02-13")
        guard case .comparison(let comparison) = query.root, case .literal(let literal) = comparison.argument else {
            return XCTFail("unexpected tree \(query.root)")
        }
        XCTAssertEqual(comparison.subject, .registeredAt)
        XCTAssertEqual(comparison.op, .lessThan)
        XCTAssertEqual(literal.integer, 1_518_480_000)  // 2018-02-13T00:00:00Z

        let list = try ClusterQuery(parsing: "ec2InstanceId in ['i-abcd1234', \"i-wxyx7890\", i-plain]")
        guard case .comparison(let listComparison) = list.root, case .list(let values) = listComparison.argument else {
            return XCTFail("unexpected tree \(list.root)")
        }
        XCTAssertEqual(values.map(\.text), ["i-abcd1234", "i-wxyx7890", "i-plain"])
    }

    func testTaskDependentQueriesAreMarked() throws {
        XCTAssertFalse(try ClusterQuery(parsing: "attribute:a == b").dependsOnTasks)
        XCTAssertTrue(try ClusterQuery(parsing: "attribute:a == b and not(task:group == x)").dependsOnTasks)
        XCTAssertTrue(try ClusterQuery(parsing: "runningTasksCount < 3").dependsOnTasks)
    }

    /// Each bad expression: the offset the error must point at and a piece of its message.
    func testInvalidExpressionsReportPositionAndReason() {
        let invalid: [(String, Int, String)] = [
            ("", 0, "empty"),
            ("   ", 3, "empty"),
            ("attribute:ecs.instance-type = t2.small", 28, "unknown operator '='"),
            ("attribute:ecs.instance-type ==", 30, "expected a value"),
            ("attribute:ecs.instance-type", 27, "expected an operator"),
            ("instance-type == t2.small", 0, "unknown subject 'instance-type'"),
            ("attribute: == x", 10, "expected an attribute name"),
            ("attribute:a*b == x", 11, "invalid character '*'"),
            ("(attribute:a == b", 17, "missing ')'"),
            ("attribute:a == b)", 16, "unexpected ')'"),
            ("attribute:a == b c", 17, "unexpected 'c'"),
            ("attribute:a == b and", 20, "ends where a condition was expected"),
            ("attribute:a == b or or attribute:c == d", 20, "unknown subject 'or'"),
            ("attribute:a in x", 15, "expected '['"),
            ("attribute:a in [x, y", 20, "missing ']'"),
            ("attribute:a in [x y]", 18, "expected ',' or ']'"),
            ("attribute:a in []", 16, "expected a value"),
            ("attribute:a == 'x", 15, "unterminated quoted value"),
            ("registeredAt < 2018-13-45", 15, "invalid date"),
            ("registeredAt < 2018-02-30", 15, "invalid date"),
            ("runningTasksCount > many", 20, "whole number"),
            ("agentConnected == maybe", 18, "true or false"),
            ("agentVersion in [1.2]", 13, "cannot be used with 'agentVersion'"),
            ("runningTasksCount exists", 18, "cannot be used with 'runningTasksCount'"),
            ("task:group > x", 11, "cannot be used with 'task:group'"),
            ("ec2InstanceId < i-1", 14, "cannot be used with 'ec2InstanceId'"),
            ("attribute:a =~ [a-", 15, "unterminated character class"),
            ("attribute:a =~ 'x(y)'", 17, "groups are not supported"),
            ("attribute:a =~ *x", 15, "nothing to repeat"),
            ("attribute:a =~ x{2}", 16, "counted repetition"),
            ("attribute:a =~ x*?", 17, "lazy"),
            ("attribute:a =~ [z-a]", 16, "illegal character range"),
            ("attribute:a =~ \\q", 15, "unsupported escape"),
            ("attribute:a ==", 14, "expected a value"),
            ("not", 3, "ends where a condition was expected"),
            ("== x", 0, "expected a subject"),
        ]
        for (expression, offset, fragment) in invalid {
            do {
                let query = try ClusterQuery(parsing: expression)
                XCTFail("'\(expression)' parsed as \(query.root)")
            } catch {
                XCTAssertEqual(error.offset, offset, "offset for '\(expression)': \(error)")
                XCTAssertTrue(error.message.contains(fragment), "message for '\(expression)': \(error.message)")
            }
        }
    }

    func testParseErrorBecomesAnInvalidParameterMessage() {
        XCTAssertThrowsError(try PlacementConstraint(type: "memberOf", expression: "attribute:x = 1")) { error in
            guard let error = error as? PlacementValidationError, case .invalidExpression(let parseError) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(parseError.offset, 12)
            XCTAssertEqual(error.message, "Invalid placement constraint expression: unknown operator '=' (at offset 12)")
        }
    }
}
