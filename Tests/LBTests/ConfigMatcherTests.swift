import XCTest

@testable import LB

/// ALB's health check matcher: codes and ranges between 200 and 499.
final class ConfigMatcherTests: XCTestCase {
    func testSingleCodeListAndRanges() throws {
        let single = try HTTPStatusMatcher(parsing: "200")
        XCTAssertTrue(single.matches(200))
        XCTAssertFalse(single.matches(201))

        let list = try HTTPStatusMatcher(parsing: "200,202")
        XCTAssertTrue(list.matches(202))
        XCTAssertFalse(list.matches(201))

        let mixed = try HTTPStatusMatcher(parsing: "200-299, 302 ,404")
        for code in [200, 250, 299, 302, 404] { XCTAssertTrue(mixed.matches(code), "\(code)") }
        for code in [199, 300, 301, 303, 403, 500] { XCTAssertFalse(mixed.matches(code), "\(code)") }
        XCTAssertEqual(mixed.description, "200-299,302,404")
        XCTAssertEqual(try HTTPStatusMatcher(parsing: "499").description, "499")
    }

    func testRefusals() {
        XCTAssertThrowsError(try HTTPStatusMatcher(parsing: "")) {
            XCTAssertEqual($0 as? HTTPStatusMatcher.ParseError, .empty)
        }
        XCTAssertThrowsError(try HTTPStatusMatcher(parsing: "199")) {
            XCTAssertEqual($0 as? HTTPStatusMatcher.ParseError, .outOfRange(199))
        }
        XCTAssertThrowsError(try HTTPStatusMatcher(parsing: "200-500")) {
            XCTAssertEqual($0 as? HTTPStatusMatcher.ParseError, .outOfRange(500))
        }
        XCTAssertThrowsError(try HTTPStatusMatcher(parsing: "300-200")) {
            XCTAssertEqual($0 as? HTTPStatusMatcher.ParseError, .reversedRange("300-200"))
        }
        for bad in ["200,", "2xx", "200-300-400", "-200", "200 202", "0200"] {
            XCTAssertThrowsError(try HTTPStatusMatcher(parsing: bad), bad)
        }
    }

    func testResultClassification() {
        let matcher = HTTPStatusMatcher.default
        XCTAssertEqual(
            HealthCheckResult.response(status: 200, duration: 0.1, matcher: matcher),
            .success(status: 200, duration: 0.1))
        XCTAssertEqual(
            HealthCheckResult.response(status: 503, duration: 0.1, matcher: matcher),
            .statusMismatch(status: 503, duration: 0.1))
    }
}
