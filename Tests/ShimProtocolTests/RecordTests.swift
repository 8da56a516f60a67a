import ShimProtocol
import XCTest

/// The line format shared by the plan and the event log: any string survives, torn lines are
/// skipped, repeated keys keep their order.
final class RecordTests: XCTestCase {
    func testAnyStringRoundTrips() throws {
        let awkward = [
            "", "plain", "with space", "a=b", "100%", "line\nbreak", "tab\there", "ünïcödé ✓", "%41", "=", "end ",
        ]
        for value in awkward {
            let record = Record("kind", [("key", value), ("k=2", value)])
            let line = record.encoded
            XCTAssertFalse(line.contains("\n"), "a record is one line: \(line)")
            let parsed = try XCTUnwrap(Record(line: Substring(line)), "could not parse \(line)")
            XCTAssertEqual(parsed, record)
            XCTAssertEqual(parsed["key"], value)
            XCTAssertEqual(parsed["k=2"], value)
        }
    }

    func testRepeatedKeysKeepOrder() throws {
        let record = Record("container", [("arg", "sh"), ("arg", "-c"), ("arg", "echo hi")])
        let parsed = try XCTUnwrap(Record(line: Substring(record.encoded)))
        XCTAssertEqual(parsed.all("arg"), ["sh", "-c", "echo hi"])
    }

    func testTornAndMalformedLinesAreSkipped() {
        let text = "task status=STOPPING reason=x t=1\ncontainer name=web status=RUNNING pid=5 t=2\ncontainer name=we%"
        let records = Record.parseAll(text)
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records.last?["name"], "web")
        XCTAssertNil(Record(line: "kind novalue"))
        XCTAssertNil(Record(line: "kind bad=%zz"))
    }
}
