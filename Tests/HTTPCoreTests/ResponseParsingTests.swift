import HTTPCore
import XCTest

private struct BrokenResponse {
    var name: String
    var response: String
    var error: HTTPParseError
}

/// Responses from a target that must never be forwarded.
private let brokenResponses: [BrokenResponse] = [
    BrokenResponse(name: "CL and TE", response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", error: .contentLengthWithTransferEncoding),
    BrokenResponse(name: "bad CL", response: "HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n", error: .invalidContentLength),
    BrokenResponse(name: "signed CL", response: "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", error: .invalidContentLength),
    BrokenResponse(name: "differing CL", response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 50\r\n\r\n", error: .conflictingContentLength),
    BrokenResponse(name: "TE not ending in chunked", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", error: .transferEncodingNotChunked),
    BrokenResponse(name: "TE gzip, chunked", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", error: .unsupportedTransferCoding),
    BrokenResponse(name: "TE twice", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", error: .chunkedAppliedTwice),
    BrokenResponse(name: "TE in HTTP/1.0", response: "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", error: .transferEncodingInHTTP10),
    BrokenResponse(name: "CL and TE on HEAD answer", response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", error: .contentLengthWithTransferEncoding),
    BrokenResponse(name: "bare LF", response: "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", error: .bareLineFeed),
    BrokenResponse(name: "bare LF in fields", response: "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n", error: .bareLineFeed),
    BrokenResponse(name: "bare CR", response: "HTTP/1.1 200 OK\r\nContent-Length: 0\rX: y\r\n\r\n", error: .bareCarriageReturn),
    BrokenResponse(name: "obs-fold", response: "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\n\r\n", error: .obsoleteLineFolding),
    BrokenResponse(name: "space before colon", response: "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", error: .whitespaceBeforeColon),
    BrokenResponse(name: "NUL in value", response: "HTTP/1.1 200 OK\r\nX-A: \u{0}\r\n\r\n", error: .invalidFieldValue),
    BrokenResponse(name: "two-digit status", response: "HTTP/1.1 20 OK\r\n\r\n", error: .invalidStatusLine),
    BrokenResponse(name: "four-digit status", response: "HTTP/1.1 2000 OK\r\n\r\n", error: .invalidStatusLine),
    BrokenResponse(name: "status 099", response: "HTTP/1.1 099 Odd\r\n\r\n", error: .invalidStatusCode),
    BrokenResponse(name: "status 600", response: "HTTP/1.1 600 Odd\r\n\r\n", error: .invalidStatusCode),
    BrokenResponse(name: "HTTP/2 version", response: "HTTP/2 200 OK\r\n\r\n", error: .invalidStatusLine),
    BrokenResponse(name: "HTTP/2.0 version", response: "HTTP/2.0 200 OK\r\n\r\n", error: .unsupportedVersion),
    BrokenResponse(name: "lower-case version", response: "http/1.1 200 OK\r\n\r\n", error: .invalidStatusLine),
    BrokenResponse(name: "two spaces", response: "HTTP/1.1  200 OK\r\n\r\n", error: .invalidStatusLine),
    BrokenResponse(name: "NUL in reason", response: "HTTP/1.1 200 O\u{0}K\r\n\r\n", error: .invalidStatusLine),
    BrokenResponse(name: "101 without upgrade", response: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n", error: .unexpectedSwitchingProtocols),
]

final class ResponseParsingTests: XCTestCase {
    func testContentLengthResponse() {
        let text = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nhello world!"
        let parsed = Wire.parseResponse(text)
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertEqual(parsed.head.status, 200)
        XCTAssertEqual(parsed.text(parsed.head.statusLineRange), "HTTP/1.1 200 OK")
        XCTAssertEqual(parsed.text(parsed.head.reasonRange), "OK")
        XCTAssertEqual(parsed.head.version, .http1_1)
        XCTAssertEqual(parsed.head.framing, .contentLength(12))
        XCTAssertTrue(parsed.head.keepAlive)
        XCTAssertFalse(parsed.head.isInformational)
        XCTAssertEqual(parsed.head.headLength, text.utf8.count - 12)
        XCTAssertEqual(parsed.head.fields.map(\.kind), [.other, .contentLength])
    }

    func testChunkedResponse() {
        let parsed = Wire.parseResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertEqual(parsed.head.framing, .chunked)
        XCTAssertTrue(parsed.head.keepAlive)
    }

    func testResponseWithoutFramingRunsUntilClose() {
        let parsed = Wire.parseResponse("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertEqual(parsed.head.framing, .untilClose)
        XCTAssertFalse(parsed.head.keepAlive)
    }

    func testResponsesWithoutBody() {
        let head = Wire.parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", method: .head)
        XCTAssertEqual(head.status, .complete)
        XCTAssertEqual(head.head.framing, .none)
        XCTAssertTrue(head.head.keepAlive)
        let headChunked = Wire.parseResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", method: .head)
        XCTAssertEqual(headChunked.head.framing, .none)
        for (text, status) in [
            ("HTTP/1.1 204 No Content\r\n\r\n", 204), ("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", 304),
            ("HTTP/1.1 100 Continue\r\n\r\n", 100), ("HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n", 103),
        ] {
            let parsed = Wire.parseResponse(text)
            XCTAssertEqual(parsed.status, .complete, text)
            XCTAssertEqual(parsed.head.status, status)
            XCTAssertEqual(parsed.head.framing, .none, text)
            XCTAssertTrue(parsed.head.keepAlive, text)
            XCTAssertEqual(parsed.head.isInformational, status < 200, text)
        }
    }

    func testSwitchingProtocolsAfterAnUpgradeRequest() {
        let parsed = Wire.parseResponse(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", upgrade: true)
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertTrue(parsed.head.isSwitchingProtocols)
        XCTAssertTrue(parsed.head.isInformational)
        XCTAssertEqual(parsed.head.framing, .none)
        XCTAssertEqual(parsed.head.fields.map(\.isListedInConnection), [true, false])
    }

    func testConnectSuccessEstablishesATunnel() {
        let parsed = Wire.parseResponse("HTTP/1.1 200 Connection Established\r\n\r\n", method: .connect)
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertTrue(parsed.head.establishesTunnel)
        XCTAssertEqual(parsed.head.framing, .none)
        let refused = Wire.parseResponse("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", method: .connect)
        XCTAssertFalse(refused.head.establishesTunnel)
        XCTAssertEqual(refused.head.framing, .contentLength(0))
    }

    func testHTTP10ResponsesCloseUnlessKeptAlive() {
        XCTAssertFalse(Wire.parseResponse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").head.keepAlive)
        let kept = Wire.parseResponse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n")
        XCTAssertEqual(kept.head.version, .http1_0)
        XCTAssertTrue(kept.head.keepAlive)
        XCTAssertFalse(Wire.parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").head.keepAlive)
    }

    func testStatusLineVariants() {
        let noReason = Wire.parseResponse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(noReason.status, .complete)
        XCTAssertEqual(noReason.head.status, 200)
        XCTAssertTrue(noReason.head.reasonRange.isEmpty)
        let emptyReason = Wire.parseResponse("HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(emptyReason.status, .complete)
        XCTAssertTrue(emptyReason.head.reasonRange.isEmpty)
        let longReason = Wire.parseResponse("HTTP/1.1 500 Internal\tServer Error \u{E9}\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(longReason.status, .complete)
        XCTAssertEqual(longReason.text(longReason.head.reasonRange), "Internal\tServer Error \u{E9}")
    }

    func testBrokenResponsesAreRefused() {
        for row in brokenResponses {
            let method: HTTPMethod = row.name.contains("HEAD") ? .head : .get
            XCTAssertEqual(Wire.parseResponse(row.response, method: method).status, .failed(row.error), row.name)
            XCTAssertEqual(
                Wire.parseResponseByteAtATime(Wire.bytes(row.response), method: method).status, .failed(row.error),
                row.name)
        }
    }

    func testValidResponsesParseTheSameByteAtATime() {
        let responses: [(String, HTTPMethod, Bool)] = [
            ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n", .get, false),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", .get, false),
            ("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", .head, false),
            ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", .get, true),
            ("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", .get, false),
            ("HTTP/1.1 204 No Content\r\n\r\n", .delete, false),
        ]
        for (text, method, upgrade) in responses {
            let whole = Wire.parseResponse(text, method: method, upgrade: upgrade)
            XCTAssertEqual(whole.status, .complete, text)
            let piecewise = Wire.parseResponseByteAtATime(Wire.bytes(text), method: method, upgrade: upgrade)
            XCTAssertEqual(piecewise.status, .complete, text)
            XCTAssertEqual(piecewise.head, whole.head, text)
        }
    }

    func testInformationalThenFinalResponseInOneBuffer() {
        let bytes = Wire.bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
        var parser = HTTPResponseParser()
        var head = HTTPResponseHead()
        XCTAssertEqual(bytes.withUnsafeBytes { parser.parse($0, into: &head, requestMethod: .put, requestWasUpgrade: false) }, .complete)
        XCTAssertTrue(head.isInformational)
        let offset = head.headLength
        parser.reset()
        let status = bytes.withUnsafeBytes {
            parser.parse(UnsafeRawBufferPointer(rebasing: $0[offset...]), into: &head, requestMethod: .put, requestWasUpgrade: false)
        }
        XCTAssertEqual(status, .complete)
        XCTAssertEqual(head.status, 201)
        XCTAssertEqual(head.framing, .contentLength(2))
        XCTAssertEqual(offset + head.headLength + 2, bytes.count)
    }

    func testResponseHeadLimit() {
        let limits = HTTPLimits(maxRequestLineLength: 20, maxHeadLength: 40)
        let long = Wire.parseResponse(Wire.bytes("HTTP/1.1 200 A very long reason phrase\r\n\r\n"), limits: limits)
        XCTAssertEqual(long.status, .failed(.requestLineTooLong))
        let big = Wire.parseResponse(Wire.bytes("HTTP/1.1 200 OK\r\nX-A: " + String(repeating: "b", count: 40) + "\r\n\r\n"), limits: limits)
        XCTAssertEqual(big.status, .failed(.headTooLarge))
    }

    func testReasonPhrases() {
        XCTAssertEqual(HTTPStatus.reasonPhrase(200).description, "OK")
        XCTAssertEqual(HTTPStatus.reasonPhrase(404).description, "Not Found")
        XCTAssertEqual(HTTPStatus.reasonPhrase(431).description, "Request Header Fields Too Large")
        XCTAssertEqual(HTTPStatus.reasonPhrase(502).description, "Bad Gateway")
        XCTAssertEqual(HTTPStatus.reasonPhrase(799).description, "Unknown")
        for row in brokenResponses where [.invalidStatusLine, .invalidStatusCode, .unexpectedSwitchingProtocols].contains(row.error) {
            XCTAssertEqual(row.error.status, 502, row.name)
        }
    }
}
