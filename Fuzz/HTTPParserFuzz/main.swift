// libFuzzer target for HTTPCore: every input goes through the request parser, the response
// parser and the chunked scanner, and each must agree with itself however the input is split.
// Built by scripts/fuzz-http-parser.sh together with the HTTPCore sources as one module.

#if canImport(HTTPCore)
import HTTPCore
#endif

/// Small limits, so that inputs of a couple of KiB reach every limit check.
let fuzzLimits = HTTPLimits(
    maxRequestLineLength: 200, maxHeadLength: 1024, maxFieldCount: 20, maxChunkExtensionLength: 64,
    maxTrailerSectionLength: 256)

/// Stops the run with a message libFuzzer reports as a crash (`fatalError` prints its message
/// in optimised builds too, unlike `precondition`).
func invariant(_ condition: Bool, _ message: StaticString) {
    if !condition { fatalError("broken invariant: \(message)") }
}

// MARK: Requests

func parseRequest(_ input: UnsafeRawBufferPointer, splitAt split: Int?) -> (HTTPParseStatus, HTTPRequestHead) {
    var parser = HTTPRequestParser(limits: fuzzLimits)
    var head = HTTPRequestHead()
    if let split {
        let status = parser.parse(UnsafeRawBufferPointer(rebasing: input[0..<split]), into: &head)
        if status != .incomplete { return (status, head) }
    }
    return (parser.parse(input, into: &head), head)
}

func parseRequestByteAtATime(_ input: UnsafeRawBufferPointer) -> (HTTPParseStatus, HTTPRequestHead) {
    var parser = HTTPRequestParser(limits: fuzzLimits)
    var head = HTTPRequestHead()
    var status = HTTPParseStatus.incomplete
    for length in 0...input.count {
        status = parser.parse(UnsafeRawBufferPointer(rebasing: input[0..<length]), into: &head)
        if status != .incomplete { break }
    }
    return (status, head)
}

func checkRequest(_ input: UnsafeRawBufferPointer, split: Int) {
    let (status, head) = parseRequest(input, splitAt: nil)
    let (splitStatus, splitHead) = parseRequest(input, splitAt: split)
    let (byteStatus, byteHead) = parseRequestByteAtATime(input)
    invariant(status == splitStatus, "request: split feeding changed the status")
    invariant(status == byteStatus, "request: byte-at-a-time feeding changed the status")
    switch status {
    case .incomplete:
        invariant(input.count < fuzzLimits.maxHeadLength, "request: incomplete beyond maxHeadLength")
    case .failed(let error):
        invariant([400, 414, 417, 431, 501, 505].contains(error.status), "request: unexpected error status")
    case .complete:
        invariant(head == splitHead && head == byteHead, "request: heads differ between feedings")
        let length = head.headLength
        invariant(length >= 4 && length <= input.count && length <= fuzzLimits.maxHeadLength, "request: headLength out of bounds")
        invariant(
            input[length - 4] == 13 && input[length - 3] == 10 && input[length - 2] == 13 && input[length - 1] == 10,
            "request: head does not end with CRLFCRLF")
        var ranges = [head.methodRange, head.targetRange, head.targetPathRange]
        if let authority = head.targetAuthorityRange { ranges.append(authority) }
        for field in head.fields {
            ranges.append(field.nameRange)
            ranges.append(field.valueRange)
            invariant(!field.nameRange.isEmpty, "request: empty field name")
        }
        for range in ranges { invariant(range.lowerBound >= 0 && range.upperBound <= length, "request: range outside the head") }
        invariant(head.fields.count <= fuzzLimits.maxFieldCount, "request: too many fields accepted")
        invariant(head.methodRange.count + head.targetRange.count + 10 <= fuzzLimits.maxRequestLineLength, "request: request line over the limit")
        if let host = head.hostFieldIndex { invariant(head.fields[host].kind == .host, "request: hostFieldIndex is not Host") }
        if head.version == .http1_1 { invariant(head.hostFieldIndex != nil, "request: HTTP/1.1 without Host accepted") }
        let hasContentLength = head.fields.contains { $0.kind == .contentLength }
        let hasTransferEncoding = head.fields.contains { $0.kind == .transferEncoding }
        invariant(!(hasContentLength && hasTransferEncoding), "request: CL and TE accepted together")
        switch head.framing {
        case .chunked: invariant(hasTransferEncoding && head.version == .http1_1, "request: chunked without TE")
        case .contentLength(let n): invariant(hasContentLength && n >= 0, "request: CL framing without CL")
        case .none: invariant(!hasContentLength && !hasTransferEncoding, "request: framing field ignored")
        }
        // The head alone parses to the same head; one byte less is incomplete.
        let (alone, aloneHead) = parseRequest(UnsafeRawBufferPointer(rebasing: input[0..<length]), splitAt: nil)
        invariant(alone == .complete && aloneHead == head, "request: the head alone parses differently")
        let (short, _) = parseRequest(UnsafeRawBufferPointer(rebasing: input[0..<(length - 1)]), splitAt: nil)
        invariant(short == .incomplete, "request: a truncated head is not incomplete")
    }
}

// MARK: Responses

func parseResponse(_ input: UnsafeRawBufferPointer, method: HTTPMethod, upgrade: Bool, byteAtATime: Bool)
    -> (HTTPParseStatus, HTTPResponseHead)
{
    var parser = HTTPResponseParser(limits: fuzzLimits)
    var head = HTTPResponseHead()
    if !byteAtATime {
        return (parser.parse(input, into: &head, requestMethod: method, requestWasUpgrade: upgrade), head)
    }
    var status = HTTPParseStatus.incomplete
    for length in 0...input.count {
        status = parser.parse(
            UnsafeRawBufferPointer(rebasing: input[0..<length]), into: &head, requestMethod: method,
            requestWasUpgrade: upgrade)
        if status != .incomplete { break }
    }
    return (status, head)
}

func checkResponse(_ input: UnsafeRawBufferPointer, selector: UInt8) {
    let methods: [HTTPMethod] = [.get, .head, .connect, .post]
    let method = methods[Int(selector & 3)]
    let upgrade = selector & 4 != 0
    let (status, head) = parseResponse(input, method: method, upgrade: upgrade, byteAtATime: false)
    let (byteStatus, byteHead) = parseResponse(input, method: method, upgrade: upgrade, byteAtATime: true)
    invariant(status == byteStatus, "response: byte-at-a-time feeding changed the status")
    guard status == .complete else { return }
    invariant(head == byteHead, "response: heads differ between feedings")
    invariant((100...599).contains(head.status), "response: status out of range")
    invariant(head.headLength <= input.count && head.statusLineRange.upperBound < head.headLength, "response: ranges out of bounds")
    if head.isSwitchingProtocols { invariant(upgrade && head.status == 101, "response: unrequested 101") }
    if head.framing == .untilClose { invariant(!head.keepAlive, "response: keep-alive with a close-delimited body") }
    if method == .head || head.status == 204 || head.status == 304 || head.isInformational {
        invariant(head.framing == .none, "response: body on a bodiless response")
    }
}

// MARK: Chunked bodies

struct ChunkedOutcome: Equatable {
    var consumed = 0
    var finished = false
    var error: HTTPParseError?
    var data: [UInt8] = []
    var dataLength = 0
}

func scanChunked(_ input: UnsafeRawBufferPointer, pieceSize: Int) -> ChunkedOutcome {
    var scanner = ChunkedScanner(limits: fuzzLimits)
    var outcome = ChunkedOutcome()
    var start = 0
    while start < input.count {
        let end = min(start + pieceSize, input.count)
        switch scanner.scan(UnsafeRawBufferPointer(rebasing: input[start..<end]), onData: { outcome.data += $0 }) {
        case .failed(let error):
            outcome.error = error
            outcome.consumed = 0
            return outcome
        case .consumed(let count, let finished):
            invariant(count >= 0 && count <= end - start, "chunked: consumed more than given")
            outcome.consumed += count
            if finished {
                outcome.finished = true
                outcome.dataLength = scanner.dataLength
                return outcome
            }
            invariant(count == end - start, "chunked: an unfinished scan left input unconsumed")
        }
        start = end
    }
    outcome.dataLength = scanner.dataLength
    return outcome
}

func checkChunked(_ input: UnsafeRawBufferPointer, split: Int) {
    let whole = scanChunked(input, pieceSize: max(input.count, 1))
    invariant(whole == scanChunked(input, pieceSize: 1), "chunked: byte-at-a-time feeding differs")
    invariant(whole == scanChunked(input, pieceSize: max(split, 1)), "chunked: split feeding differs")
    if whole.error == nil { invariant(whole.data.count == whole.dataLength, "chunked: dataLength disagrees with the data") }
    if whole.finished {
        let alone = scanChunked(UnsafeRawBufferPointer(rebasing: input[0..<whole.consumed]), pieceSize: whole.consumed)
        invariant(alone == whole, "chunked: the body alone scans differently")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    // The first byte picks the split point and the response's request method; the rest is
    // the message.
    let selector = data[0]
    let input = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let split = input.isEmpty ? 0 : Int(selector) % input.count
    checkRequest(input, split: split)
    checkResponse(input, selector: selector)
    checkChunked(input, split: split)
    return 0
}
