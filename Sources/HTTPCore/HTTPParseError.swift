/// Why a message head, a chunked body or a response head was rejected.
///
/// Each case names one rule. `status` is the response a server sends for a request that broke
/// it; a response from a target that fails to parse is answered with 502 by the proxy whatever
/// the case (the cases that can only come from a response report 502 themselves).
public enum HTTPParseError: Error, Equatable, Hashable, Sendable {
    // MARK: Start line
    /// The method is empty or contains a non-`tchar` byte.
    case invalidMethod
    /// Nothing between the two spaces of the request line (or a doubled space after the method).
    case emptyTarget
    /// The request target contains a byte outside `%x21-7E`, a `#`, or is not in a form the
    /// method allows (origin, absolute `http(s)://`, `*` for OPTIONS, authority for CONNECT).
    case invalidTarget
    /// The request line does not have exactly two single spaces between three parts.
    case invalidRequestLine
    /// The version is not spelled `HTTP/DIGIT.DIGIT`.
    case invalidVersion
    /// A well-formed version other than HTTP/1.0 or HTTP/1.1.
    case unsupportedVersion
    /// The request line (without its CRLF) is longer than `HTTPLimits.maxRequestLineLength`.
    case requestLineTooLong

    // MARK: Line structure
    /// An LF not preceded by CR.
    case bareLineFeed
    /// A CR not followed by LF.
    case bareCarriageReturn

    // MARK: Field lines
    /// A field line starting with SP or HTAB (obsolete line folding), or whitespace between the
    /// start line and the first field.
    case obsoleteLineFolding
    /// A field name that is empty or contains a non-`tchar` byte.
    case invalidFieldName
    /// Whitespace between a field name and its colon.
    case whitespaceBeforeColon
    /// A field line with no colon.
    case missingColon
    /// `Content_Length` or `Transfer_Encoding` (underscores for dashes): servers that fold `_`
    /// into `-` would see framing the parser did not.
    case underscoreInFramingFieldName
    /// A NUL, another CTL (HTAB excepted) or DEL in a field value.
    case invalidFieldValue
    /// The head is longer than `HTTPLimits.maxHeadLength`.
    case headTooLarge
    /// One field line (name, colon and value, CRLF excluded) is longer than
    /// `HTTPLimits.maxFieldLineLength`.
    case fieldLineTooLong
    /// More field lines than `HTTPLimits.maxFieldCount`.
    case tooManyFields

    // MARK: Field semantics
    /// An HTTP/1.1 request without Host.
    case missingHost
    /// More than one Host field line.
    case duplicateHost
    /// A Host value that is not `uri-host [":" port]`.
    case invalidHost
    /// A Content-Length element that is empty or not all digits, or that overflows `Int`.
    case invalidContentLength
    /// Content-Length values that differ (across lines or within one comma-separated list).
    case conflictingContentLength
    /// Both Content-Length and Transfer-Encoding.
    case contentLengthWithTransferEncoding
    /// The final transfer coding is not `chunked`.
    case transferEncodingNotChunked
    /// `chunked` listed more than once.
    case chunkedAppliedTwice
    /// A Transfer-Encoding element that is empty, not a token, or has parameters.
    case invalidTransferEncoding
    /// A transfer coding other than `chunked` before the final `chunked` (501).
    case unsupportedTransferCoding
    /// Transfer-Encoding in an HTTP/1.0 message.
    case transferEncodingInHTTP10
    /// A Connection element that is not a token.
    case invalidConnection
    /// Connection lists Host, Content-Length or Transfer-Encoding, which a proxy must never
    /// drop as hop-by-hop.
    case connectionListsEndToEndField
    /// An Expect value other than `100-continue` (417).
    case unsupportedExpectation

    // MARK: Response start line
    /// The status line is not `HTTP-version SP 3DIGIT [SP reason]`, or the reason contains a CTL.
    case invalidStatusLine
    /// A status code outside 100...599.
    case invalidStatusCode
    /// A 101 answer to a request that did not ask to upgrade.
    case unexpectedSwitchingProtocols

    // MARK: Chunked bodies
    /// A chunk size that is empty or contains a non-HEXDIG byte (a sign, `0x`, whitespace).
    case invalidChunkSize
    /// A chunk size of more than 16 hex digits or beyond `Int.max`.
    case chunkSizeOverflow
    /// A chunk extension that is not `;token[=token|quoted-string]`.
    case invalidChunkExtension
    /// Chunk extensions longer than `HTTPLimits.maxChunkExtensionLength` on one chunk line.
    case chunkExtensionTooLong
    /// Chunk data not followed by CRLF.
    case missingChunkDataTerminator
    /// A trailer field line that breaks the field-line rules of a head.
    case invalidTrailerField
    /// A trailer field that carries framing or routing (Content-Length, Transfer-Encoding, Host).
    case forbiddenTrailerField
    /// A trailer section longer than `HTTPLimits.maxTrailerSectionLength` or with more than
    /// `HTTPLimits.maxFieldCount` fields.
    case trailerSectionTooLarge

    /// The status code a server answers with when a request breaks this rule.
    public var status: Int {
        switch self {
        case .requestLineTooLong: 414
        case .headTooLarge, .fieldLineTooLong, .tooManyFields: 431
        case .unsupportedVersion: 505
        case .unsupportedTransferCoding: 501
        case .unsupportedExpectation: 417
        case .invalidStatusLine, .invalidStatusCode, .unexpectedSwitchingProtocols: 502
        default: 400
        }
    }

    /// A short, fixed description, suitable for a log line or an error page.
    public var reason: StaticString {
        switch self {
        case .invalidMethod: "invalid method"
        case .emptyTarget: "empty request target"
        case .invalidTarget: "invalid request target"
        case .invalidRequestLine: "malformed request line"
        case .invalidVersion: "malformed HTTP version"
        case .unsupportedVersion: "unsupported HTTP version"
        case .requestLineTooLong: "request line too long"
        case .bareLineFeed: "LF without CR"
        case .bareCarriageReturn: "CR without LF"
        case .obsoleteLineFolding: "obsolete line folding"
        case .invalidFieldName: "invalid field name"
        case .whitespaceBeforeColon: "whitespace before colon"
        case .missingColon: "field line without colon"
        case .underscoreInFramingFieldName: "underscore in a framing field name"
        case .invalidFieldValue: "control character in field value"
        case .headTooLarge: "header section too large"
        case .fieldLineTooLong: "header field too long"
        case .tooManyFields: "too many header fields"
        case .missingHost: "missing Host"
        case .duplicateHost: "more than one Host"
        case .invalidHost: "invalid Host"
        case .invalidContentLength: "invalid Content-Length"
        case .conflictingContentLength: "conflicting Content-Length values"
        case .contentLengthWithTransferEncoding: "both Content-Length and Transfer-Encoding"
        case .transferEncodingNotChunked: "final transfer coding is not chunked"
        case .chunkedAppliedTwice: "chunked applied more than once"
        case .invalidTransferEncoding: "invalid Transfer-Encoding"
        case .unsupportedTransferCoding: "unsupported transfer coding"
        case .transferEncodingInHTTP10: "Transfer-Encoding in HTTP/1.0"
        case .invalidConnection: "invalid Connection"
        case .connectionListsEndToEndField: "Connection lists an end-to-end field"
        case .unsupportedExpectation: "unsupported expectation"
        case .invalidStatusLine: "malformed status line"
        case .invalidStatusCode: "invalid status code"
        case .unexpectedSwitchingProtocols: "101 without an upgrade request"
        case .invalidChunkSize: "invalid chunk size"
        case .chunkSizeOverflow: "chunk size too large"
        case .invalidChunkExtension: "invalid chunk extension"
        case .chunkExtensionTooLong: "chunk extensions too long"
        case .missingChunkDataTerminator: "chunk data not followed by CRLF"
        case .invalidTrailerField: "invalid trailer field"
        case .forbiddenTrailerField: "framing field in trailer"
        case .trailerSectionTooLarge: "trailer section too large"
        }
    }
}
