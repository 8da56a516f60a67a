import HTTPCore
import XCTest

/// The outcome of parsing one request head, with copies of what the tests look at.
struct ParsedRequest {
    var status: HTTPParseStatus
    var head: HTTPRequestHead
    var bytes: [UInt8]

    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    var target: String { text(head.targetRange) }

    /// Name and value of every field, as text.
    var fieldPairs: [(String, String)] {
        head.fields.map { (text($0.nameRange), text($0.valueRange)) }
    }
}

struct ParsedResponse {
    var status: HTTPParseStatus
    var head: HTTPResponseHead
    var bytes: [UInt8]

    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

enum Wire {
    /// Bytes of `text` (tests write CR and LF explicitly).
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func parseRequest(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> ParsedRequest {
        var parser = HTTPRequestParser(limits: limits)
        var head = HTTPRequestHead()
        let status = bytes.withUnsafeBytes { parser.parse($0, into: &head) }
        return ParsedRequest(status: status, head: head, bytes: bytes)
    }

    static func parseRequest(_ text: String, limits: HTTPLimits = HTTPLimits()) -> ParsedRequest {
        parseRequest(bytes(text), limits: limits)
    }

    /// Feeds growing prefixes of `bytes` (one more byte each call) until the parser answers.
    static func parseRequestByteAtATime(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> ParsedRequest {
        var parser = HTTPRequestParser(limits: limits)
        var head = HTTPRequestHead()
        var status = HTTPParseStatus.incomplete
        for length in 0...bytes.count {
            status = bytes.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<length]), into: &head) }
            if status != .incomplete { break }
        }
        return ParsedRequest(status: status, head: head, bytes: bytes)
    }

    static func parseResponse(
        _ bytes: [UInt8], method: HTTPMethod = .get, upgrade: Bool = false, limits: HTTPLimits = HTTPLimits()
    ) -> ParsedResponse {
        var parser = HTTPResponseParser(limits: limits)
        var head = HTTPResponseHead()
        let status = bytes.withUnsafeBytes {
            parser.parse($0, into: &head, requestMethod: method, requestWasUpgrade: upgrade)
        }
        return ParsedResponse(status: status, head: head, bytes: bytes)
    }

    static func parseResponse(_ text: String, method: HTTPMethod = .get, upgrade: Bool = false) -> ParsedResponse {
        parseResponse(bytes(text), method: method, upgrade: upgrade)
    }

    static func parseResponseByteAtATime(_ bytes: [UInt8], method: HTTPMethod = .get, upgrade: Bool = false)
        -> ParsedResponse
    {
        var parser = HTTPResponseParser()
        var head = HTTPResponseHead()
        var status = HTTPParseStatus.incomplete
        for length in 0...bytes.count {
            status = bytes.withUnsafeBytes {
                parser.parse(
                    UnsafeRawBufferPointer(rebasing: $0[0..<length]), into: &head, requestMethod: method,
                    requestWasUpgrade: upgrade)
            }
            if status != .incomplete { break }
        }
        return ParsedResponse(status: status, head: head, bytes: bytes)
    }

    /// A chunked body scanned in pieces of `pieceSize` bytes (0: all at once): the total bytes
    /// consumed, whether it finished, the error if any, and the data reported.
    struct ChunkedOutcome: Equatable {
        var consumed = 0
        var finished = false
        var error: HTTPParseError?
        var data: [UInt8] = []
    }

    static func scanChunked(_ bytes: [UInt8], pieceSize: Int = 0, limits: HTTPLimits = HTTPLimits()) -> ChunkedOutcome {
        var scanner = ChunkedScanner(limits: limits)
        var outcome = ChunkedOutcome()
        let step = pieceSize == 0 ? max(bytes.count, 1) : pieceSize
        var start = 0
        while start < bytes.count {
            let end = min(start + step, bytes.count)
            let result = bytes.withUnsafeBytes {
                scanner.scan(UnsafeRawBufferPointer(rebasing: $0[start..<end])) { outcome.data += $0 }
            }
            switch result {
            case .failed(let error):
                // What was consumed before the failure depends on the split; it is not compared.
                outcome.error = error
                outcome.consumed = 0
                return outcome
            case .consumed(let count, let finished):
                outcome.consumed += count
                if finished {
                    outcome.finished = true
                    XCTAssertTrue(scanner.isFinished)
                    return outcome
                }
                XCTAssertEqual(count, end - start, "an unfinished scan consumes its whole input")
            }
            start = end
        }
        return outcome
    }
}
