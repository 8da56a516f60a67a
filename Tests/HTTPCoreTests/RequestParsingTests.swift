import HTTPCore
import XCTest

/// Valid requests that must parse, each also fed a byte at a time.
private let validRequests: [String] = [
    "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n",
    "POST /items HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello",
    "POST /items HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n",
    "GET /index.html HTTP/1.0\r\n\r\n",
    "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n",
    "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "GET http://example.com:8080/p?q=1 HTTP/1.1\r\nHost: other.example\r\n\r\n",
    "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
    "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    "PROPFIND /dav HTTP/1.1\r\nHost: [::1]:8080\r\nDepth: 1\r\n\r\n",
    "GET /a%20b?c=d&e=%2F HTTP/1.1\r\nhost:\ta.example \t\r\nX-Empty:\r\nX-Spaces:   \r\nX-Obs: caf\u{E9}\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 7, 7\r\nContent-Length: 7\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Hop, , close\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\n\r\n",
]

final class RequestParsingTests: XCTestCase {
    func testSimpleGet() throws {
        let text = "GET /path?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
        let parsed = Wire.parseRequest(text)
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertEqual(parsed.head.method, .get)
        XCTAssertEqual(parsed.text(parsed.head.methodRange), "GET")
        XCTAssertEqual(parsed.target, "/path?x=1")
        XCTAssertEqual(parsed.head.targetForm, .origin)
        XCTAssertEqual(parsed.text(parsed.head.targetPathRange), "/path?x=1")
        XCTAssertNil(parsed.head.targetAuthorityRange)
        XCTAssertEqual(parsed.head.version, .http1_1)
        XCTAssertEqual(parsed.head.framing, .none)
        XCTAssertTrue(parsed.head.keepAlive)
        XCTAssertFalse(parsed.head.expectsContinue)
        XCTAssertFalse(parsed.head.upgradeRequested)
        XCTAssertEqual(parsed.head.headLength, text.utf8.count)
        XCTAssertEqual(parsed.head.hostFieldIndex, 0)
        XCTAssertEqual(parsed.head.fields.map(\.kind), [.host, .other, .other])
        let pairs = parsed.fieldPairs
        XCTAssertEqual(pairs.map(\.0), ["Host", "User-Agent", "Accept"])
        XCTAssertEqual(pairs.map(\.1), ["example.com", "curl/8.5.0", "*/*"])
    }

    func testPostWithContentLengthLeavesTheBodyAfterTheHead() {
        let text = "POST /items HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello"
        let parsed = Wire.parseRequest(text)
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertEqual(parsed.head.method, .post)
        XCTAssertEqual(parsed.head.framing, .contentLength(5))
        XCTAssertEqual(parsed.head.headLength, text.utf8.count - 5)
        XCTAssertEqual(String(decoding: parsed.bytes[parsed.head.headLength...], as: UTF8.self), "hello")
    }

    func testIdenticalContentLengthsAreOne() {
        for fields in ["Content-Length: 7, 7\r\nContent-Length: 7", "Content-Length: 007", "Content-Length:7 , 7"] {
            let parsed = Wire.parseRequest("POST / HTTP/1.1\r\nHost: a\r\n\(fields)\r\n\r\n")
            XCTAssertEqual(parsed.status, .complete, fields)
            XCTAssertEqual(parsed.head.framing, .contentLength(7), fields)
        }
        XCTAssertEqual(Wire.parseRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n").head.framing, .contentLength(0))
    }

    func testChunkedRequestWithTrailersAndExtensions() {
        let head = "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\nTrailer: X-Checksum\r\n\r\n"
        let body = "5;name=value;flag\r\nhello\r\n6;q=\"a \\\"quoted\\\" ext\"\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n"
        let next = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        let bytes = Wire.bytes(head + body + next)
        let parsed = Wire.parseRequest(bytes)
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertEqual(parsed.head.framing, .chunked)
        XCTAssertEqual(parsed.head.headLength, head.utf8.count)
        XCTAssertEqual(parsed.head.fields[2].kind, .trailer)
        let rest = Array(bytes[parsed.head.headLength...])
        let outcome = Wire.scanChunked(rest)
        XCTAssertNil(outcome.error)
        XCTAssertTrue(outcome.finished)
        XCTAssertEqual(outcome.consumed, body.utf8.count)
        XCTAssertEqual(String(decoding: outcome.data, as: UTF8.self), "hello world")
        XCTAssertEqual(Wire.scanChunked(rest, pieceSize: 1), outcome)
        let following = Wire.parseRequest(Array(rest[outcome.consumed...]))
        XCTAssertEqual(following.status, .complete)
        XCTAssertEqual(following.head.headLength, next.utf8.count)
    }

    func testPipelinedRequestsInOneBufferHaveExactHeadLengths() {
        let first = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
        let second = "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n"
        let body = "abc"
        let third = "DELETE /three HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        let bytes = Wire.bytes(first + second + body + third)
        var parser = HTTPRequestParser()
        var head = HTTPRequestHead()
        var offset = 0
        var seen: [(HTTPMethod, Int, HTTPRequestFraming, Bool)] = []
        while offset < bytes.count {
            let status = bytes.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[offset...]), into: &head) }
            XCTAssertEqual(status, .complete)
            guard status == .complete else { return }
            seen.append((head.method, head.headLength, head.framing, head.keepAlive))
            offset += head.headLength
            if case .contentLength(let length) = head.framing { offset += length }
            parser.reset()
        }
        XCTAssertEqual(offset, bytes.count)
        XCTAssertEqual(seen.map(\.0), [.get, .post, .delete])
        XCTAssertEqual(seen.map(\.1), [first.utf8.count, second.utf8.count, third.utf8.count])
        XCTAssertEqual(seen.map(\.2), [.none, .contentLength(3), .none])
        XCTAssertEqual(seen.map(\.3), [true, true, false])
    }

    func testKeepAliveFollowsVersionAndConnection() {
        let cases: [(String, Bool)] = [
            ("GET / HTTP/1.0\r\n\r\n", false),
            ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
            ("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true),
            ("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false),
            ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true),
            ("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false),
            ("GET / HTTP/1.1\r\nHost: a\r\nConnection: CLOSE\r\n\r\n", false),
            ("GET / HTTP/1.1\r\nHost: a\r\nConnection: x\r\nConnection: close\r\n\r\n", false),
            ("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n", true),
        ]
        for (text, keepAlive) in cases {
            let parsed = Wire.parseRequest(text)
            XCTAssertEqual(parsed.status, .complete, text)
            XCTAssertEqual(parsed.head.keepAlive, keepAlive, text)
        }
        let http10 = Wire.parseRequest("GET / HTTP/1.0\r\n\r\n")
        XCTAssertEqual(http10.head.version, .http1_0)
        XCTAssertNil(http10.head.hostFieldIndex)
    }

    func testExpectContinue() {
        let http11 = Wire.parseRequest("PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 10\r\n\r\n")
        XCTAssertEqual(http11.status, .complete)
        XCTAssertTrue(http11.head.expectsContinue)
        XCTAssertEqual(http11.head.fields[1].kind, .expect)
        // RFC 9110 §10.1.1: a 100-continue expectation in HTTP/1.0 is ignored.
        let http10 = Wire.parseRequest("PUT /x HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n")
        XCTAssertEqual(http10.status, .complete)
        XCTAssertFalse(http10.head.expectsContinue)
    }

    func testWebSocketUpgrade() {
        let text =
            "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let parsed = Wire.parseRequest(text)
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertTrue(parsed.head.upgradeRequested)
        XCTAssertEqual(parsed.head.fields.map(\.kind), [.host, .upgrade, .connection, .other])
        XCTAssertEqual(parsed.head.fields.map(\.isListedInConnection), [false, true, false, false])
        // Upgrade without the Connection option, or Connection: upgrade without Upgrade, is not a request to upgrade.
        XCTAssertFalse(Wire.parseRequest("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n").head.upgradeRequested)
        XCTAssertFalse(Wire.parseRequest("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\n\r\n").head.upgradeRequested)
        XCTAssertFalse(
            Wire.parseRequest("GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n").head.upgradeRequested)
    }

    func testFieldsListedInConnectionAreMarkedHopByHop() {
        let text =
            "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nX-End: 2\r\nx-hop: 3\r\n\r\n"
        let parsed = Wire.parseRequest(text)
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertEqual(parsed.head.fields.map(\.isListedInConnection), [false, false, true, true, false, true])
        XCTAssertEqual(parsed.head.fields.map(\.kind), [.host, .connection, .other, .keepAlive, .other, .other])
        // Only keep-alive listed: the Keep-Alive field is hop-by-hop, nothing else is.
        let keepAliveOnly = Wire.parseRequest("GET / HTTP/1.1\r\nKeep-Alive: timeout=5\r\nHost: a\r\nConnection: keep-alive\r\nX-A: 1\r\n\r\n")
        XCTAssertEqual(keepAliveOnly.head.fields.map(\.isListedInConnection), [true, false, false, false])
        // Without Connection nothing is marked, whatever the names.
        let none = Wire.parseRequest("GET / HTTP/1.1\r\nKeep-Alive: timeout=5\r\nHost: a\r\nUpgrade: h2c\r\n\r\n")
        XCTAssertEqual(none.head.fields.map(\.isListedInConnection), [false, false, false])
    }

    func testKnownFieldKinds() {
        let text =
            "GET / HTTP/1.1\r\nhost: a\r\nTE: trailers\r\nPROXY-CONNECTION: x\r\nX-Forwarded-For: 1.2.3.4\r\n"
            + "X-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\nX-Request-ID: abc\r\nX-Forwarded-Fo: no\r\n\r\n"
        let parsed = Wire.parseRequest(text)
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertEqual(
            parsed.head.fields.map(\.kind),
            [.host, .te, .proxyConnection, .xForwardedFor, .xForwardedProto, .xForwardedPort, .xRequestID, .other])
        // Other underscored names are ordinary fields.
        let underscored = Wire.parseRequest("GET / HTTP/1.1\r\nHost: a\r\nX_Custom: 1\r\nContent_Type: x\r\nContent-Lengt_: 1\r\n\r\n")
        XCTAssertEqual(underscored.status, .complete)
        XCTAssertEqual(underscored.head.fields.map(\.kind), [.host, .other, .other, .other])
    }

    func testLeadingEmptyLinesAreSkipped() {
        let text = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
        let parsed = Wire.parseRequest(text)
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertEqual(parsed.head.methodRange, 4..<7)
        XCTAssertEqual(parsed.head.headLength, text.utf8.count)
    }

    func testFieldValuesAreTrimmedAndMayBeEmptyOrObsText() {
        let parsed = Wire.parseRequest(validRequests[12])
        XCTAssertEqual(parsed.status, .complete)
        let pairs = parsed.fieldPairs
        XCTAssertEqual(pairs.map(\.0), ["host", "X-Empty", "X-Spaces", "X-Obs"])
        XCTAssertEqual(pairs.map(\.1), ["a.example", "", "", "caf\u{E9}"])
        XCTAssertEqual(parsed.target, "/a%20b?c=d&e=%2F")
    }

    func testAbsoluteFormKeepsHostAsTheRoutingAuthority() {
        let parsed = Wire.parseRequest("GET http://example.com:8080/p?q=1 HTTP/1.1\r\nHost: other.example\r\n\r\n")
        XCTAssertEqual(parsed.status, .complete)
        XCTAssertEqual(parsed.head.targetForm, .absolute)
        XCTAssertEqual(parsed.head.targetAuthorityRange.map(parsed.text), "example.com:8080")
        XCTAssertEqual(parsed.text(parsed.head.targetPathRange), "/p?q=1")
        XCTAssertEqual(parsed.head.hostFieldIndex.map { parsed.text(parsed.head.fields[$0].valueRange) }, "other.example")
        let bare = Wire.parseRequest("GET HTTPS://example.com?x HTTP/1.1\r\nHost: example.com\r\n\r\n")
        XCTAssertEqual(bare.status, .complete)
        XCTAssertEqual(bare.text(bare.head.targetPathRange), "?x")
        // Host stays mandatory in HTTP/1.1 even with an absolute-form target.
        XCTAssertEqual(Wire.parseRequest("GET http://a/ HTTP/1.1\r\n\r\n").status, .failed(.missingHost))
    }

    func testAsteriskAndAuthorityForms() {
        let options = Wire.parseRequest("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")
        XCTAssertEqual(options.status, .complete)
        XCTAssertEqual(options.head.method, .options)
        XCTAssertEqual(options.head.targetForm, .asterisk)
        let connect = Wire.parseRequest("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
        XCTAssertEqual(connect.status, .complete)
        XCTAssertEqual(connect.head.method, .connect)
        XCTAssertEqual(connect.head.targetForm, .authority)
        XCTAssertEqual(connect.head.targetAuthorityRange.map(connect.text), "example.com:443")
    }

    func testMethods() {
        let methods: [(String, HTTPMethod)] = [
            ("GET", .get), ("HEAD", .head), ("POST", .post), ("PUT", .put), ("DELETE", .delete),
            ("OPTIONS", .options), ("TRACE", .trace), ("PATCH", .patch), ("get", .other), ("PROPFIND", .other),
            ("M-SEARCH", .other),
        ]
        for (name, method) in methods {
            let parsed = Wire.parseRequest("\(name) / HTTP/1.1\r\nHost: a\r\n\r\n")
            XCTAssertEqual(parsed.status, .complete, name)
            XCTAssertEqual(parsed.head.method, method, name)
            XCTAssertEqual(parsed.text(parsed.head.methodRange), name)
        }
    }

    func testHostForms() {
        for host in ["example.com", "example.com:8080", "[::1]", "[2001:db8::1]:443", "127.0.0.1:80", "a%41b", "", "a:"] {
            let parsed = Wire.parseRequest("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")
            XCTAssertEqual(parsed.status, .complete, host)
            XCTAssertEqual(parsed.head.hostFieldIndex, 0, host)
        }
    }

    func testFieldLookupIsCaseInsensitive() {
        let parsed = Wire.parseRequest("GET / HTTP/1.1\r\nHost: a\r\nX-Custom: 1\r\nx-custom: 2\r\n\r\n")
        parsed.bytes.withUnsafeBytes { base in
            XCTAssertEqual(parsed.head.field(named: "x-CUSTOM", in: base), 1)
            XCTAssertEqual(parsed.head.field(named: "HOST", in: base), 0)
            XCTAssertNil(parsed.head.field(named: "X-Custo", in: base))
            XCTAssertNil(parsed.head.field(named: "X-Customs", in: base))
            let value = parsed.head.bytes(of: parsed.head.fields[1].valueRange, in: base)
            XCTAssertEqual(Array(value), Array("1".utf8))
        }
        XCTAssertEqual(parsed.head.firstField(.host), 0)
        XCTAssertNil(parsed.head.firstField(.contentLength))
    }

    func testEveryValidRequestParsesTheSameWhenFedByteAtATime() {
        for text in validRequests {
            let bytes = Wire.bytes(text)
            let whole = Wire.parseRequest(bytes)
            XCTAssertEqual(whole.status, .complete, text)
            let piecewise = Wire.parseRequestByteAtATime(bytes)
            XCTAssertEqual(piecewise.status, .complete, text)
            XCTAssertEqual(piecewise.head, whole.head, text)
        }
    }

    func testIncompleteHeadsWaitForMore() {
        let text = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        let bytes = Wire.bytes(text)
        for length in 0..<bytes.count {
            XCTAssertEqual(Wire.parseRequest(Array(bytes[0..<length])).status, .incomplete, "prefix \(length)")
        }
    }

    func testScanResumesWhereItStoppedInsteadOfRescanning() {
        // The parser keeps its position: bytes before it are not looked at again. Proven here by
        // changing already-scanned bytes to garbage between calls, which a rescan would reject.
        let text = Wire.bytes("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\r\n")
        var parser = HTTPRequestParser()
        var head = HTTPRequestHead()
        let split = 28
        XCTAssertEqual(text.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<split]), into: &head) }, .incomplete)
        var altered = text
        for index in 16..<24 { altered[index] = 0 }
        XCTAssertEqual(altered.withUnsafeBytes { parser.parse($0, into: &head) }, .complete)
        XCTAssertEqual(head.headLength, text.count)
    }

    func testTheFieldArrayIsReusedAcrossMessages() {
        let bytes = Wire.bytes("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n")
        var parser = HTTPRequestParser()
        var head = HTTPRequestHead()
        XCTAssertEqual(bytes.withUnsafeBytes { parser.parse($0, into: &head) }, .complete)
        let capacity = head.fields.capacity
        for _ in 0..<10 {
            parser.reset()
            XCTAssertEqual(bytes.withUnsafeBytes { parser.parse($0, into: &head) }, .complete)
            XCTAssertEqual(head.fields.count, 4)
            XCTAssertEqual(head.fields.capacity, capacity)
        }
    }

    func testRangesLieInsideTheHead() {
        for text in validRequests {
            let parsed = Wire.parseRequest(text)
            let length = parsed.head.headLength
            var ranges = [parsed.head.methodRange, parsed.head.targetRange, parsed.head.targetPathRange]
            ranges += parsed.head.fields.flatMap { [$0.nameRange, $0.valueRange] }
            for range in ranges { XCTAssertLessThanOrEqual(range.upperBound, length, text) }
            XCTAssertEqual(Array(parsed.bytes[(length - 4)..<length]), Array("\r\n\r\n".utf8), text)
        }
    }
}
