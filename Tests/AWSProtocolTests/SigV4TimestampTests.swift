import Testing
@testable import AWSProtocol

@Suite("SigV4 timestamps")
struct SigV4TimestampTests {
    @Test("Parses and formats ISO 8601 basic format", arguments: [
        ("19700101T000000Z", Int64(0)),
        ("20150830T123600Z", Int64(1_440_938_160)),
        ("20240229T235959Z", Int64(1_709_251_199)),
        ("20261122T101500Z", Int64(1_795_342_500)),
        ("19691231T235959Z", Int64(-1)),
    ])
    func roundTrip(text: String, seconds: Int64) throws {
        let parsed = try #require(SigV4Timestamp(basicFormat: text))
        #expect(parsed.secondsSinceEpoch == seconds)
        #expect(SigV4Timestamp(secondsSinceEpoch: seconds).basicFormat == text)
        #expect(parsed.dateStamp == String(text.prefix(8)))
    }

    @Test("Refuses anything but YYYYMMDDTHHMMSSZ", arguments: [
        "2026-11-22T10:15:00Z", "20261122T101500", "20261122 101500Z", "20261322T101500Z", "20230229T000000Z",
        "20261122T246000Z", "20261122T101560Z", "Sun, 22 Nov 2026 10:15:00 GMT", "", "2026112AT101500Z",
    ])
    func refuses(text: String) {
        #expect(SigV4Timestamp(basicFormat: text) == nil)
    }
}
