import HTTPCore
import XCTest

private struct BrokenBody {
    var name: String
    var body: String
    var error: HTTPParseError
}

private let brokenBodies: [BrokenBody] = [
    BrokenBody(name: "0x prefix", body: "0x5\r\nhello\r\n0\r\n\r\n", error: .invalidChunkSize),
    BrokenBody(name: "negative", body: "-1\r\n", error: .invalidChunkSize),
    BrokenBody(name: "plus sign", body: "+5\r\nhello\r\n0\r\n\r\n", error: .invalidChunkSize),
    BrokenBody(name: "space before size", body: " 5\r\nhello\r\n0\r\n\r\n", error: .invalidChunkSize),
    BrokenBody(name: "space after size", body: "5 \r\nhello\r\n0\r\n\r\n", error: .invalidChunkSize),
    BrokenBody(name: "tab after size", body: "5\t\r\nhello\r\n0\r\n\r\n", error: .invalidChunkSize),
    BrokenBody(name: "space before extension", body: "5 ;a=b\r\nhello\r\n0\r\n\r\n", error: .invalidChunkSize),
    BrokenBody(name: "empty size", body: "\r\nhello\r\n0\r\n\r\n", error: .invalidChunkSize),
    BrokenBody(name: "non-hex size", body: "g\r\n", error: .invalidChunkSize),
    BrokenBody(name: "17 hex digits", body: "00000000000000005\r\nhello\r\n0\r\n\r\n", error: .chunkSizeOverflow),
    BrokenBody(name: "beyond Int.max", body: "8000000000000000\r\n", error: .chunkSizeOverflow),
    BrokenBody(name: "huge", body: "fffffffffffffffffffffffff\r\n", error: .chunkSizeOverflow),
    BrokenBody(name: "data longer than size", body: "5\r\nhelloX\r\n0\r\n\r\n", error: .missingChunkDataTerminator),
    BrokenBody(name: "data shorter than size", body: "5\r\nhell\r\n0\r\n\r\n", error: .missingChunkDataTerminator),
    BrokenBody(name: "LF only after data", body: "5\r\nhello\n0\r\n\r\n", error: .missingChunkDataTerminator),
    BrokenBody(name: "CR only after data", body: "5\r\nhello\r0\r\n\r\n", error: .missingChunkDataTerminator),
    BrokenBody(name: "bare LF after size", body: "5\nhello\r\n0\r\n\r\n", error: .bareLineFeed),
    BrokenBody(name: "bare CR after size", body: "5\rhello\r\n0\r\n\r\n", error: .bareCarriageReturn),
    BrokenBody(name: "empty extension name", body: "5;\r\nhello\r\n0\r\n\r\n", error: .invalidChunkExtension),
    BrokenBody(name: "empty extension value", body: "5;a=\r\nhello\r\n0\r\n\r\n", error: .invalidChunkExtension),
    BrokenBody(name: "space in extension", body: "5; a=b\r\nhello\r\n0\r\n\r\n", error: .invalidChunkExtension),
    BrokenBody(name: "space before equals", body: "5;a =b\r\nhello\r\n0\r\n\r\n", error: .invalidChunkExtension),
    BrokenBody(name: "space in value", body: "5;a=b c\r\nhello\r\n0\r\n\r\n", error: .invalidChunkExtension),
    BrokenBody(name: "unterminated quote", body: "5;a=\"b\r\nhello\r\n0\r\n\r\n", error: .invalidChunkExtension),
    BrokenBody(name: "text after quote", body: "5;a=\"b\"c\r\nhello\r\n0\r\n\r\n", error: .invalidChunkExtension),
    BrokenBody(name: "NUL in quoted value", body: "5;a=\"\u{0}\"\r\nhello\r\n0\r\n\r\n", error: .invalidChunkExtension),
    BrokenBody(name: "extension too long", body: "5;a=" + String(repeating: "b", count: 1100) + "\r\nhello\r\n0\r\n\r\n", error: .chunkExtensionTooLong),
    BrokenBody(name: "trailer obs-fold", body: "0\r\nX-A: b\r\n c\r\n\r\n", error: .invalidTrailerField),
    BrokenBody(name: "trailer space before colon", body: "0\r\nX-A : b\r\n\r\n", error: .invalidTrailerField),
    BrokenBody(name: "trailer without colon", body: "0\r\nX-A\r\n\r\n", error: .invalidTrailerField),
    BrokenBody(name: "trailer NUL", body: "0\r\nX-A: \u{0}\r\n\r\n", error: .invalidTrailerField),
    BrokenBody(name: "trailer bare LF", body: "0\r\nX-A: b\n\r\n", error: .bareLineFeed),
    BrokenBody(name: "trailer bare CR", body: "0\r\nX-A: b\rX\r\n\r\n", error: .bareCarriageReturn),
    BrokenBody(name: "final bare CR", body: "0\r\n\rX", error: .bareCarriageReturn),
    BrokenBody(name: "final bare LF", body: "0\r\n\n", error: .bareLineFeed),
    BrokenBody(name: "trailer Content-Length", body: "0\r\nContent-Length: 5\r\n\r\n", error: .forbiddenTrailerField),
    BrokenBody(name: "trailer Transfer-Encoding", body: "0\r\ntransfer-encoding: chunked\r\n\r\n", error: .forbiddenTrailerField),
    BrokenBody(name: "trailer Host", body: "0\r\nHOST: evil\r\n\r\n", error: .forbiddenTrailerField),
    BrokenBody(name: "trailer too large", body: "0\r\n" + String(repeating: "X-A: " + String(repeating: "b", count: 1000) + "\r\n", count: 17) + "\r\n", error: .trailerSectionTooLarge),
    BrokenBody(name: "too many trailers", body: "0\r\n" + String(repeating: "X: 1\r\n", count: 101) + "\r\n", error: .trailerSectionTooLarge),
]

final class ChunkedScannerTests: XCTestCase {
    func testSimpleBody() {
        let body = "5\r\nhello\r\n0\r\n\r\n"
        let outcome = Wire.scanChunked(Wire.bytes(body))
        XCTAssertEqual(outcome, Wire.ChunkedOutcome(consumed: body.utf8.count, finished: true, data: Array("hello".utf8)))
    }

    func testBodyEndsExactlyAndLeavesTheNextMessage() {
        let body = "A\r\n0123456789\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n"
        let bytes = Wire.bytes(body + "GET / HTTP/1.1\r\n")
        var scanner = ChunkedScanner()
        var data: [UInt8] = []
        let result = bytes.withUnsafeBytes { scanner.scan($0) { data += $0 } }
        XCTAssertEqual(result, .consumed(body.utf8.count, finished: true))
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "0123456789abcdefghijklmnopqrstuvwxyz")
        XCTAssertEqual(scanner.dataLength, 36)
        XCTAssertTrue(scanner.isFinished)
        // A finished scanner takes nothing more.
        XCTAssertEqual(bytes.withUnsafeBytes { scanner.scan($0) }, .consumed(0, finished: true))
        scanner.reset()
        XCTAssertFalse(scanner.isFinished)
        XCTAssertEqual(scanner.dataLength, 0)
        XCTAssertEqual(Wire.bytes("0\r\n\r\n").withUnsafeBytes { scanner.scan($0) }, .consumed(5, finished: true))
    }

    func testExtensionsAndTrailers() {
        let bodies = [
            "5;name=value;flag\r\nhello\r\n0\r\n\r\n",
            "5;q=\"a \\\"b\\\" \tc\"\r\nhello\r\n0;last\r\n\r\n",
            "5;a=\"\"\r\nhello\r\n0\r\nX-Checksum: abc\r\nX-Empty:\r\nHostname: fine\r\nContent-Lengthy: fine\r\n\r\n",
            "0000000000000005\r\nhello\r\n0\r\n\r\n",
            "5\r\nhello\r\n0000\r\n\r\n",
        ]
        for body in bodies {
            let outcome = Wire.scanChunked(Wire.bytes(body))
            XCTAssertNil(outcome.error, body)
            XCTAssertTrue(outcome.finished, body)
            XCTAssertEqual(outcome.consumed, body.utf8.count, body)
            XCTAssertEqual(String(decoding: outcome.data, as: UTF8.self), "hello", body)
        }
    }

    func testLargestSizesAndUpperCaseHex() {
        var scanner = ChunkedScanner()
        XCTAssertEqual(Wire.bytes("7FFFFFFFFFFFFFFF\r\nab").withUnsafeBytes { scanner.scan($0) }, .consumed(20, finished: false))
        XCTAssertEqual(scanner.dataLength, 2)
        let upper = Wire.scanChunked(Wire.bytes("1F\r\n" + String(repeating: "x", count: 31) + "\r\n0\r\n\r\n"))
        XCTAssertTrue(upper.finished)
        XCTAssertEqual(upper.data.count, 31)
    }

    func testEveryBodyScansTheSameInAnySplit() {
        let bodies = [
            "5;name=value;flag\r\nhello\r\n6;q=\"x\"\r\n world\r\n0\r\nX-T: y\r\n\r\n",
            "1\r\na\r\n2\r\nbc\r\n3\r\ndef\r\n0\r\n\r\nNEXT",
        ] + brokenBodies.map(\.body)
        for body in bodies {
            let bytes = Wire.bytes(body)
            let whole = Wire.scanChunked(bytes)
            for piece in [1, 2, 3, 7] {
                XCTAssertEqual(Wire.scanChunked(bytes, pieceSize: piece), whole, "\(body) in pieces of \(piece)")
            }
        }
    }

    func testBrokenBodiesAreRejected() {
        for row in brokenBodies {
            let outcome = Wire.scanChunked(Wire.bytes(row.body))
            XCTAssertEqual(outcome.error, row.error, row.name)
            XCTAssertFalse(outcome.finished, row.name)
            XCTAssertEqual(Wire.scanChunked(Wire.bytes(row.body), pieceSize: 1).error, row.error, row.name)
            XCTAssertEqual(row.error.status, 400, row.name)
        }
    }

    func testAFailedScannerStaysFailed() {
        var scanner = ChunkedScanner()
        XCTAssertEqual(Wire.bytes("x").withUnsafeBytes { scanner.scan($0) }, .failed(.invalidChunkSize))
        XCTAssertEqual(Wire.bytes("0\r\n\r\n").withUnsafeBytes { scanner.scan($0) }, .failed(.invalidChunkSize))
    }

    func testEmptyInputConsumesNothing() {
        var scanner = ChunkedScanner()
        XCTAssertEqual(scanner.scan(UnsafeRawBufferPointer(start: nil, count: 0)), .consumed(0, finished: false))
    }
}
