@testable import Scheduler
import XCTest

/// The regular-expression subset of `=~`: whole-value matches, linear time.
final class QueryPatternTests: XCTestCase {
    func testMatchesWholeValue() throws {
        let table: [(String, String, Bool)] = [
            ("g2.*", "g2.2xlarge", true),
            ("g2.*", "xg2.2xlarge", false),
            ("t2", "t2.small", false),  // whole value, as Java's matches()
            ("t2\\..*", "t2.small", true),
            ("t2\\..*", "t2xsmall", false),
            ("m5\\.[a-z]+", "m5.large", true),
            ("m5\\.[a-z]+", "m5.2xlarge", false),
            ("[^-]+-[0-9]+[a-f]", "us-1a", true),
            ("us-east-1[abc]", "us-east-1d", false),
            ("colou?r", "color", true),
            ("colou?r", "colour", true),
            ("a+b*", "aaab", true),
            ("a+b*", "b", false),
            ("\\d+\\.\\d+\\.\\d+", "1.14.5", true),
            ("\\w+", "word_1", true),
            ("\\W", "-", true),
            ("[\\d.]+", "1.2.3", true),
            ("^web$", "web", true),
            ("web|api", "api", true),
            ("web|api", "db", false),
            ("", "", true),
            ("a*a*a*a*a*a*a*a*a*a*a*b", String(repeating: "a", count: 2000), false),
        ]
        for (pattern, value, expected) in table {
            XCTAssertEqual(try QueryPattern(pattern).matches(value), expected, "'\(pattern)' on '\(value)'")
        }
    }

    func testRefusesWhatItDoesNotSupport() {
        let table: [(String, Int)] = [("(ab)", 0), ("a{2}", 1), ("*a", 0), ("a**", 2), ("a+?", 2), ("[abc", 0), ("a^", 1), ("$a", 0), ("\\k", 0)]
        for (pattern, offset) in table {
            XCTAssertThrowsError(try QueryPattern(pattern), pattern) { error in
                XCTAssertEqual((error as? QueryPattern.SyntaxError)?.offset, offset, pattern)
            }
        }
    }

    func testTimestamps() {
        XCTAssertEqual(QueryTimestamp.parse("1970-01-01"), 0)
        XCTAssertEqual(QueryTimestamp.parse("2018-06-18T22:28:28Z"), 1_529_360_908)
        XCTAssertEqual(QueryTimestamp.parse("2018-06-18T22:28:28"), 1_529_360_908)
        XCTAssertEqual(QueryTimestamp.parse("2018-06-18T22:28:28+00:00"), 1_529_360_908)
        XCTAssertEqual(QueryTimestamp.parse("2018-06-19T00:28:28+02:00"), 1_529_360_908)
        XCTAssertEqual(QueryTimestamp.parse("2018-06-18T22:28:28.123Z"), 1_529_360_908)
        XCTAssertEqual(QueryTimestamp.parse("2024-02-29"), 1_709_164_800)
        for bad in ["2023-02-29", "2018-6-18", "2018-06-18T25:00:00", "2018-06-18T22:28:28Zx", "2018-06-18 22:28:28", "yesterday"] {
            XCTAssertNil(QueryTimestamp.parse(bad), bad)
        }
    }
}
