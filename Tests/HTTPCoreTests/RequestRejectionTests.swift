import HTTPCore
import XCTest

/// One malformed request and what the parser must answer.
private struct RejectionCase {
    var name: String
    var request: [UInt8]
    var error: HTTPParseError
    var status: Int

    init(_ name: String, _ request: String, _ error: HTTPParseError, _ status: Int = 400) {
        self.name = name
        self.request = Array(request.utf8)
        self.error = error
        self.status = status
    }
}

private let crlf = "\r\n"
/// A request line and Host, ready for more fields.
private let post = "POST /upload HTTP/1.1\r\nHost: example.com\r\n"

private let rejectionCases: [RejectionCase] = [
    // Classic smuggling payloads.
    RejectionCase("CL.TE", post + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n", .contentLengthWithTransferEncoding),
    RejectionCase("TE.CL", post + "Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n", .contentLengthWithTransferEncoding),
    RejectionCase("TE chunked, identity", post + "Transfer-Encoding: chunked, identity\r\n\r\n", .transferEncodingNotChunked),
    RejectionCase("TE with space before colon", post + "Transfer-Encoding : chunked\r\n\r\n", .whitespaceBeforeColon),
    RejectionCase("TE after a bare LF", post + "Content-Length: 5\r\n\nTransfer-Encoding: chunked\r\n\r\n", .bareLineFeed),
    RejectionCase("TE as obs-fold continuation", post + "X-A: b\r\n Transfer-Encoding: chunked\r\n\r\n", .obsoleteLineFolding),
    RejectionCase("TE after tab", post + "X-A: b\r\n\tTransfer-Encoding: chunked\r\n\r\n", .obsoleteLineFolding),
    RejectionCase("Transfer_Encoding", post + "Transfer_Encoding: chunked\r\n\r\n", .underscoreInFramingFieldName),
    RejectionCase("Content_Length", post + "content_LENGTH: 5\r\n\r\n", .underscoreInFramingFieldName),
    RejectionCase("TE with vertical tab", post + "Transfer-Encoding:\u{0B}chunked\r\n\r\n", .invalidFieldValue),
    RejectionCase("TE xchunked", post + "Transfer-Encoding: xchunked\r\n\r\n", .transferEncodingNotChunked),
    RejectionCase("TE gzip only", post + "Transfer-Encoding: gzip\r\n\r\n", .transferEncodingNotChunked),
    RejectionCase("TE chunked then gzip", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n", .transferEncodingNotChunked),
    RejectionCase("TE chunked twice in a list", post + "Transfer-Encoding: chunked, chunked\r\n\r\n", .chunkedAppliedTwice),
    RejectionCase("TE chunked twice across lines", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", .chunkedAppliedTwice),
    RejectionCase("TE gzip, chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferCoding, 501),
    RejectionCase("TE with parameter", post + "Transfer-Encoding: chunked;q=1\r\n\r\n", .invalidTransferEncoding),
    RejectionCase("TE empty", post + "Transfer-Encoding:\r\n\r\n", .invalidTransferEncoding),
    RejectionCase("TE empty list element", post + "Transfer-Encoding: , chunked\r\n\r\n", .invalidTransferEncoding),
    RejectionCase("TE quoted", post + "Transfer-Encoding: \"chunked\"\r\n\r\n", .invalidTransferEncoding),
    RejectionCase("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingInHTTP10),
    RejectionCase("duplicate differing CL", post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", .conflictingContentLength),
    RejectionCase("differing CL in one list", post + "Content-Length: 5, 6\r\n\r\n", .conflictingContentLength),
    RejectionCase("CL +5", post + "Content-Length: +5\r\n\r\n", .invalidContentLength),
    RejectionCase("CL -1", post + "Content-Length: -1\r\n\r\n", .invalidContentLength),
    RejectionCase("CL 0x5", post + "Content-Length: 0x5\r\n\r\n", .invalidContentLength),
    RejectionCase("CL with inner space", post + "Content-Length: 1 2\r\n\r\n", .invalidContentLength),
    RejectionCase("CL empty", post + "Content-Length:\r\n\r\n", .invalidContentLength),
    RejectionCase("CL empty list element", post + "Content-Length: 5,,5\r\n\r\n", .invalidContentLength),
    RejectionCase("CL overflow", post + "Content-Length: 9223372036854775808\r\n\r\n", .invalidContentLength),
    RejectionCase("CL huge", post + "Content-Length: 99999999999999999999999999\r\n\r\n", .invalidContentLength),
    // Line structure and characters.
    RejectionCase("bare LF after request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", .bareLineFeed),
    RejectionCase("bare LF ending a field", "GET / HTTP/1.1\r\nHost: a\n\r\n", .bareLineFeed),
    RejectionCase("bare LF as final line", "GET / HTTP/1.1\r\nHost: a\r\n\n", .bareLineFeed),
    RejectionCase("bare LF before request line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .bareLineFeed),
    RejectionCase("bare CR in value", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", .bareCarriageReturn),
    RejectionCase("bare CR after request line", "GET / HTTP/1.1\rHost: a\r\n\r\n", .bareCarriageReturn),
    RejectionCase("bare CR as final line", "GET / HTTP/1.1\r\nHost: a\r\n\rX", .bareCarriageReturn),
    RejectionCase("NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", .invalidFieldValue),
    RejectionCase("CTL in value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{1}c\r\n\r\n", .invalidFieldValue),
    RejectionCase("DEL in value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7F}c\r\n\r\n", .invalidFieldValue),
    RejectionCase("NUL in name", "GET / HTTP/1.1\r\nHost: a\r\nX\u{0}A: b\r\n\r\n", .invalidFieldName),
    RejectionCase("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", .obsoleteLineFolding),
    RejectionCase("whitespace before first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", .obsoleteLineFolding),
    RejectionCase("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", .invalidFieldName),
    RejectionCase("non-token field name", "GET / HTTP/1.1\r\nHost: a\r\nX@A: b\r\n\r\n", .invalidFieldName),
    RejectionCase("quoted field name", "GET / HTTP/1.1\r\nHost: a\r\n\"X\": b\r\n\r\n", .invalidFieldName),
    RejectionCase("tab before colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", .whitespaceBeforeColon),
    RejectionCase("field line without colon", "GET / HTTP/1.1\r\nHost: a\r\nX-A\r\n\r\n", .missingColon),
    // Request line.
    RejectionCase("two spaces after method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .emptyTarget),
    RejectionCase("empty target", "GET  HTTP/1.1\r\nHost: a\r\n\r\n", .emptyTarget),
    RejectionCase("two spaces before version", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
    RejectionCase("space after version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .invalidRequestLine),
    RejectionCase("three spaces", "GET / x HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
    RejectionCase("HTTP/0.9 request line", "GET /\r\n\r\n", .invalidRequestLine),
    RejectionCase("method only", "GET\r\n\r\n", .invalidRequestLine),
    RejectionCase("leading space", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
    RejectionCase("tab separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod),
    RejectionCase("non-token method", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod),
    RejectionCase("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", .invalidVersion),
    RejectionCase("version without dot", "GET / HTTP/11\r\nHost: a\r\n\r\n", .invalidVersion),
    RejectionCase("version with two minor digits", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", .invalidVersion),
    RejectionCase("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion, 505),
    RejectionCase("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", .unsupportedVersion, 505),
    RejectionCase("HTTP/0.9 version", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", .unsupportedVersion, 505),
    RejectionCase("CTL in target", "GET /a\u{1}b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    RejectionCase("non-ASCII in target", "GET /\u{E9} HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    RejectionCase("fragment in target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    RejectionCase("asterisk with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    RejectionCase("relative target", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    RejectionCase("ftp absolute target", "GET ftp://a/b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    RejectionCase("userinfo in absolute target", "GET http://u@a/b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    RejectionCase("empty authority", "GET http:///b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    RejectionCase("CONNECT origin form", "CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    RejectionCase("CONNECT without port", "CONNECT a.example HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    // Host.
    RejectionCase("missing Host", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", .missingHost),
    RejectionCase("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", .duplicateHost),
    RejectionCase("two Hosts in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", .duplicateHost),
    RejectionCase("Host with space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", .invalidHost),
    RejectionCase("Host list", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", .invalidHost),
    RejectionCase("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", .invalidHost),
    RejectionCase("Host unclosed IPv6", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", .invalidHost),
    RejectionCase("Host bad port", "GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", .invalidHost),
    RejectionCase("Host bad percent", "GET / HTTP/1.1\r\nHost: a%2\r\n\r\n", .invalidHost),
    // Connection and Expect.
    RejectionCase("Connection lists Content-Length", post + "Content-Length: 5\r\nConnection: close, content-length\r\n\r\n", .connectionListsEndToEndField),
    RejectionCase("Connection lists Transfer-Encoding", post + "Connection: Transfer-Encoding\r\n\r\n", .connectionListsEndToEndField),
    RejectionCase("Connection lists Host", post + "Connection: host\r\n\r\n", .connectionListsEndToEndField),
    RejectionCase("Connection non-token", post + "Connection: keep alive\r\n\r\n", .invalidConnection),
    RejectionCase("Expect other", post + "Expect: 200-ok\r\n\r\n", .unsupportedExpectation, 417),
    // Limits.
    RejectionCase("request line over 8 KiB", "GET /" + String(repeating: "a", count: 8 * 1024) + " HTTP/1.1\r\nHost: a\r\n\r\n", .requestLineTooLong, 414),
    RejectionCase("method over 8 KiB", String(repeating: "A", count: 9 * 1024) + " / HTTP/1.1\r\n", .requestLineTooLong, 414),
    RejectionCase("head over 32 KiB", "GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X-Filler: " + String(repeating: "f", count: 1000) + "\r\n", count: 33) + "\r\n", .headTooLarge, 431),
    RejectionCase("101 fields", "GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X-A: b\r\n", count: 100) + "\r\n", .tooManyFields, 431),
]

final class RequestRejectionTests: XCTestCase {
    func testTableHasARowPerRule() {
        XCTAssertGreaterThanOrEqual(rejectionCases.count, 40)
    }

    func testEveryMalformedRequestIsRejectedWithItsStatus() {
        for row in rejectionCases {
            let parsed = Wire.parseRequest(row.request)
            XCTAssertEqual(parsed.status, .failed(row.error), row.name)
            XCTAssertEqual(row.error.status, row.status, row.name)
        }
    }

    func testEveryMalformedRequestFedByteAtATimeIsRejectedTheSameWay() {
        for row in rejectionCases {
            let parsed = Wire.parseRequestByteAtATime(row.request)
            XCTAssertEqual(parsed.status, .failed(row.error), row.name)
        }
    }

    func testAFailedParserKeepsAnsweringTheSameFailureUntilReset() {
        var parser = HTTPRequestParser()
        var head = HTTPRequestHead()
        let bad = Wire.bytes("GET / HTTP/1.1\nHost: a\r\n\r\n")
        let good = Wire.bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        XCTAssertEqual(bad.withUnsafeBytes { parser.parse($0, into: &head) }, .failed(.bareLineFeed))
        XCTAssertEqual(good.withUnsafeBytes { parser.parse($0, into: &head) }, .failed(.bareLineFeed))
        parser.reset()
        XCTAssertEqual(good.withUnsafeBytes { parser.parse($0, into: &head) }, .complete)
    }

    func testLimitsCanBeLowered() {
        let limits = HTTPLimits(maxRequestLineLength: 16, maxHeadLength: 64, maxFieldCount: 2)
        XCTAssertEqual(Wire.parseRequest("GET /0123456789ab HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits).status, .failed(.requestLineTooLong))
        XCTAssertEqual(Wire.parseRequest("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits).status, .failed(.tooManyFields))
        XCTAssertEqual(Wire.parseRequest("GET / HTTP/1.1\r\nHost: a\r\nA: " + String(repeating: "x", count: 40) + "\r\n\r\n", limits: limits).status, .failed(.headTooLarge))
        // An incomplete head already longer than the limit fails without waiting for more.
        XCTAssertEqual(Wire.parseRequest("GET / HTTP/1.1\r\nHost: a\r\nA: " + String(repeating: "x", count: 60), limits: limits).status, .failed(.headTooLarge))
    }

    func testFieldLineLongerThanItsLimitIs431() {
        // "A: " + 13 bytes: a 16-byte field line.
        let head = "GET / HTTP/1.1\r\nHost: a\r\nA: " + String(repeating: "x", count: 13) + "\r\n\r\n"
        let atLimit = HTTPLimits(maxFieldLineLength: 16)
        XCTAssertEqual(Wire.parseRequest(head, limits: atLimit).status, .complete)
        let below = HTTPLimits(maxFieldLineLength: 15)
        XCTAssertEqual(Wire.parseRequest(head, limits: below).status, .failed(.fieldLineTooLong))
        XCTAssertEqual(Wire.parseRequestByteAtATime(Wire.bytes(head), limits: below).status, .failed(.fieldLineTooLong))
        XCTAssertEqual(HTTPParseError.fieldLineTooLong.status, 431)
        // A bad byte later in the same line is reported the same way however the head arrives.
        let badValue = "GET / HTTP/1.1\r\nHost: a\r\nA: " + String(repeating: "x", count: 20) + "\u{1}\r\n\r\n"
        XCTAssertEqual(Wire.parseRequest(badValue, limits: below).status, .failed(.invalidFieldValue))
        XCTAssertEqual(Wire.parseRequestByteAtATime(Wire.bytes(badValue), limits: below).status, .failed(.invalidFieldValue))
    }

    func testHeadAndRequestLineExactlyAtTheirLimitsAreAccepted() {
        let requestLine = "GET /" + String(repeating: "a", count: 16 - 14) + " HTTP/1.1"
        XCTAssertEqual(requestLine.utf8.count, 16)
        let head = requestLine + "\r\nHost: a\r\n\r\n"
        let limits = HTTPLimits(maxRequestLineLength: 16, maxHeadLength: head.utf8.count)
        let parsed = Wire.parseRequest(head, limits: limits)
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertEqual(parsed.head.headLength, head.utf8.count)
        XCTAssertEqual(Wire.parseRequestByteAtATime(Wire.bytes(head), limits: limits).status, .complete)
        let oneLonger = HTTPLimits(maxRequestLineLength: 15, maxHeadLength: head.utf8.count)
        XCTAssertEqual(Wire.parseRequest(head, limits: oneLonger).status, .failed(.requestLineTooLong))
        let headOneLonger = HTTPLimits(maxRequestLineLength: 16, maxHeadLength: head.utf8.count - 1)
        XCTAssertEqual(Wire.parseRequest(head, limits: headOneLonger).status, .failed(.headTooLarge))
    }

    func testErrorsHaveReasons() {
        for row in rejectionCases {
            XCTAssertGreaterThan(row.error.reason.utf8CodeUnitCount, 0, row.name)
        }
    }
}
