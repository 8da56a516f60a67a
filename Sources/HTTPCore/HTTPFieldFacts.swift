/// What the fields of one head say about framing, routing and the connection, gathered as each
/// field line completes so the head is read once.
struct HTTPFieldFacts: Sendable {
    /// Index of the Host field, if there was one.
    var hostFieldIndex: Int?
    /// The agreed Content-Length value, if any Content-Length was present.
    var contentLength: Int?
    var hasTransferEncoding = false
    var chunkedSeen = false
    var finalCodingIsChunked = false
    /// A coding other than `chunked` was listed.
    var otherCodingSeen = false
    var hasConnectionField = false
    var connectionClose = false
    var connectionKeepAlive = false
    var connectionUpgrade = false
    /// Connection lists a name other than `keep-alive` and `upgrade` (`close` included), so
    /// marking hop-by-hop fields needs name comparisons rather than kinds.
    var connectionListsOtherNames = false
    var hasUpgradeField = false
    var expectsContinue = false

    /// Which side sent the head: requests carry Host and Expect, responses do not.
    enum Sender { case client, server }

    init() {}

    /// Applies one completed field line; returns the rule it breaks, if any.
    @inline(__always)
    mutating func record(
        kind: HTTPFieldKind, index: Int, value bytes: UnsafePointer<UInt8>, from start: Int, to end: Int,
        sender: Sender
    ) -> HTTPParseError? {
        switch kind {
        case .host:
            guard sender == .client else { return nil }
            guard hostFieldIndex == nil else { return .duplicateHost }
            guard HTTPHostValidation.isValidHost(bytes, from: start, to: end) else { return .invalidHost }
            hostFieldIndex = index
            return nil
        case .contentLength:
            return recordContentLength(bytes, from: start, to: end)
        case .transferEncoding:
            return recordTransferEncoding(bytes, from: start, to: end)
        case .connection:
            return recordConnection(bytes, from: start, to: end)
        case .upgrade:
            hasUpgradeField = true
            return nil
        case .expect:
            guard sender == .client else { return nil }
            guard ByteComparison.equalsIgnoringCase(
                bytes + start, count: end - start, lowercaseLiteral: "100-continue")
            else { return .unsupportedExpectation }
            expectsContinue = true
            return nil
        default:
            return nil
        }
    }

    /// `Content-Length = 1*DIGIT`, possibly repeated as a list or across lines; every value must
    /// be the same (RFC 9110 §8.6).
    private mutating func recordContentLength(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int)
        -> HTTPParseError?
    {
        var error: HTTPParseError?
        var agreed = contentLength
        _ = HTTPListElements.forEach(bytes, from: start, to: end) { elementStart, elementEnd in
            guard elementStart < elementEnd else {
                error = .invalidContentLength
                return false
            }
            var value = 0
            for index in elementStart..<elementEnd {
                let byte = bytes[index]
                guard ASCII.isDigit(byte) else {
                    error = .invalidContentLength
                    return false
                }
                let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflowB) = shifted.addingReportingOverflow(Int(byte &- ASCII.zero))
                guard !overflowA, !overflowB else {
                    error = .invalidContentLength
                    return false
                }
                value = sum
            }
            if let previous = agreed, previous != value {
                error = .conflictingContentLength
                return false
            }
            agreed = value
            return true
        }
        if error == nil { contentLength = agreed }
        return error
    }

    /// `Transfer-Encoding = #transfer-coding`; only a single, final `chunked` is accepted
    /// (RFC 9112 §6.1), codings accumulate across lines.
    private mutating func recordTransferEncoding(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int)
        -> HTTPParseError?
    {
        hasTransferEncoding = true
        var error: HTTPParseError?
        var chunkedSeen = self.chunkedSeen
        var finalIsChunked = finalCodingIsChunked
        var otherSeen = otherCodingSeen
        _ = HTTPListElements.forEach(bytes, from: start, to: end) { elementStart, elementEnd in
            guard HTTPListElements.isToken(bytes, from: elementStart, to: elementEnd) else {
                error = .invalidTransferEncoding
                return false
            }
            if ByteComparison.equalsIgnoringCase(
                bytes + elementStart, count: elementEnd - elementStart, lowercaseLiteral: "chunked")
            {
                guard !chunkedSeen else {
                    error = .chunkedAppliedTwice
                    return false
                }
                chunkedSeen = true
                finalIsChunked = true
            } else {
                finalIsChunked = false
                otherSeen = true
            }
            return true
        }
        self.chunkedSeen = chunkedSeen
        finalCodingIsChunked = finalIsChunked
        otherCodingSeen = otherSeen
        return error
    }

    /// `Connection = #connection-option`; empty elements are ignored (RFC 9110 §5.6.1).
    private mutating func recordConnection(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int)
        -> HTTPParseError?
    {
        hasConnectionField = true
        var error: HTTPParseError?
        var close = connectionClose
        var keepAlive = connectionKeepAlive
        var upgrade = connectionUpgrade
        var otherNames = connectionListsOtherNames
        _ = HTTPListElements.forEach(bytes, from: start, to: end) { elementStart, elementEnd in
            if elementStart == elementEnd { return true }
            guard HTTPListElements.isToken(bytes, from: elementStart, to: elementEnd) else {
                error = .invalidConnection
                return false
            }
            let element = bytes + elementStart
            let count = elementEnd - elementStart
            switch HTTPFieldKind.classify(element, count: count) {
            case .host, .contentLength, .transferEncoding:
                error = .connectionListsEndToEndField
                return false
            case .keepAlive:
                keepAlive = true
            case .upgrade:
                upgrade = true
            default:
                otherNames = true
                if ByteComparison.equalsIgnoringCase(element, count: count, lowercaseLiteral: "close") {
                    close = true
                }
            }
            return true
        }
        connectionListsOtherNames = otherNames
        connectionClose = close
        connectionKeepAlive = keepAlive
        connectionUpgrade = upgrade
        return error
    }

    /// The framing rules that need the whole head (RFC 9112 §6.1, §6.3).
    func framingError(version: HTTPVersion) -> HTTPParseError? {
        guard hasTransferEncoding else { return nil }
        if contentLength != nil { return .contentLengthWithTransferEncoding }
        if version == .http1_0 { return .transferEncodingInHTTP10 }
        if !finalCodingIsChunked { return .transferEncodingNotChunked }
        if otherCodingSeen { return .unsupportedTransferCoding }
        return nil
    }

    /// Whether the connection stays open after this message, from the version's default and
    /// the Connection options (close wins over keep-alive).
    func keepAlive(version: HTTPVersion) -> Bool {
        if connectionClose { return false }
        return version == .http1_1 || connectionKeepAlive
    }

    /// Sets `isListedInConnection` on every field whose name is a Connection option.
    func markConnectionListedFields(_ fields: inout [HTTPField], in bytes: UnsafePointer<UInt8>) {
        guard hasConnectionField else { return }
        guard connectionListsOtherNames else {
            // Only `keep-alive` and `upgrade`: their fields were recognised by kind already.
            for index in fields.indices {
                let kind = fields[index].kind
                if (kind == .keepAlive && connectionKeepAlive) || (kind == .upgrade && connectionUpgrade) {
                    fields[index].isListedInConnection = true
                }
            }
            return
        }
        for connectionIndex in fields.indices where fields[connectionIndex].kind == .connection {
            let value = fields[connectionIndex].valueRange
            _ = HTTPListElements.forEach(bytes, from: value.lowerBound, to: value.upperBound) { start, end in
                let count = end - start
                guard count > 0 else { return true }
                for fieldIndex in fields.indices where fields[fieldIndex].nameRange.count == count {
                    if ByteComparison.equalsIgnoringCase(
                        bytes + fields[fieldIndex].nameRange.lowerBound, bytes + start, count: count)
                    {
                        fields[fieldIndex].isListedInConnection = true
                    }
                }
                return true
            }
        }
    }
}
