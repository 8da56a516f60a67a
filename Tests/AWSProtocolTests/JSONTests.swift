import Foundation
import Testing
@testable import AWSProtocol

@Suite("JSON parser and writer")
struct JSONTests {
    let parser = JSONParser()

    @Test("Parses every kind of value")
    func kinds() throws {
        let value = try parser.parse(#" {"s":"x","i":-12,"d":1.5,"e":1e3,"t":true,"f":false,"n":null,"a":[1,[]],"o":{}} "#)
        #expect(value == [
            "s": "x", "i": -12, "d": 1.5, "e": .double(1000), "t": true, "f": false, "n": nil, "a": [1, []], "o": [:],
        ])
    }

    @Test("Integers stay integers; fractions, exponents and 64-bit overflow become doubles")
    func numbers() throws {
        #expect(try parser.parse("10") == .integer(10))
        #expect(try parser.parse("-0") == .integer(0))
        #expect(try parser.parse("9223372036854775807") == .integer(.max))
        #expect(try parser.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parser.parse("10.0") == .double(10))
        #expect(try parser.parse("10.0").intValue == 10)
        #expect(try parser.parse("10.5").intValue == nil)
        #expect(try parser.parse("2.5E-3") == .double(0.0025))
    }

    @Test("Strings: escapes, Unicode escapes and surrogate pairs")
    func strings() throws {
        #expect(try parser.parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        #expect(try parser.parse(#""caf\u00e9 \ud83d\ude00 ☃""#) == .string("café 😀 ☃"))
    }

    @Test("Refuses what RFC 8259 does not allow", arguments: [
        ("", JSONParseError.Reason.unexpectedEnd),
        ("{\"a\":1,}", .unexpectedByte(UInt8(ascii: "}"))),
        ("[1,]", .unexpectedByte(UInt8(ascii: "]"))),
        ("{'a':1}", .unexpectedByte(UInt8(ascii: "'"))),
        ("01", .trailingContent),
        ("{} x", .trailingContent),
        ("1.", .invalidNumber),
        ("-", .unexpectedEnd),
        ("1e400", .invalidNumber),
        ("tru", .unexpectedEnd),
        ("nul!", .unexpectedByte(UInt8(ascii: "!"))),
        ("\"a\u{01}\"", .invalidString("unescaped control character 0x1")),
        (#""\ud83d""#, .invalidString("unpaired surrogate escape")),
        (#""\ude00""#, .invalidString("unpaired surrogate escape")),
        (#""\x""#, .invalidString("invalid escape '\\x'")),
        ("\"abc", .unexpectedEnd),
    ])
    func refuses(text: String, reason: JSONParseError.Reason) {
        #expect(throws: JSONParseError.self) { try parser.parse(text) }
        do {
            _ = try parser.parse(text)
        } catch {
            #expect(error.reason == reason, "\(text)")
        }
    }

    @Test("Refuses strings that are not UTF-8")
    func invalidUTF8() {
        #expect(throws: JSONParseError(offset: 0, reason: .invalidString("not valid UTF-8"))) {
            try parser.parse([0x22, 0xFF, 0xFE, 0x22])
        }
    }

    @Test("Nesting is bounded")
    func depth() throws {
        let limit = JSONParser.defaultMaximumDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(throws: Never.self) { try parser.parse(deepest) }
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(throws: JSONParseError(offset: limit, reason: .nestingTooDeep(limit: limit))) { try parser.parse(tooDeep) }
        #expect(throws: JSONParseError.self) { try JSONParser(maximumDepth: 1).parse(#"{"a":{}}"#) }
    }

    @Test("Writes compact JSON with sorted members and escapes")
    func writer() {
        let value: JSONValue = ["b": [1, 2.5, "x\"y\\z\n\u{1}é"], "a": nil, "c": ["t": true, "f": false]]
        #expect(JSONWriter.string(value) == #"{"a":null,"b":[1,2.5,"x\"y\\z\n\u0001é"],"c":{"f":false,"t":true}}"#)
        #expect(JSONWriter.string(.double(.infinity)) == "null")
        #expect(JSONWriter.string(.double(1_700_000_000)) == "1700000000")
        #expect(JSONWriter.string(.double(1e20)) == "1e+20")
        #expect(JSONWriter.string(.double(0.1)) == "0.1")
    }

    @Test("What the writer writes, the parser reads back")
    func roundTrip() throws {
        let value: JSONValue = [
            "name": "naïve ☃ \u{0}\u{1f}\"", "n": .integer(.min), "x": -0.000123, "list": [[], [:], nil, true],
        ]
        #expect(try parser.parse(JSONWriter.bytes(value)) == value)
    }

    @Test("Timestamp helper keeps millisecond precision")
    func timestamps() {
        #expect(JSONValue.timestamp(Date(timeIntervalSince1970: 1_795_342_500)) == .integer(1_795_342_500))
        #expect(JSONValue.timestamp(Date(timeIntervalSince1970: 1_795_342_500.1234)) == .double(1_795_342_500.123))
        #expect(JSONValue.integer(1_795_342_500).timestampValue == Date(timeIntervalSince1970: 1_795_342_500))
        #expect(JSONValue.string("2026").timestampValue == nil)
    }
}
