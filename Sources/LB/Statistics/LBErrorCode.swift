import HTTPCore

/// A response the load balancer generates itself instead of forwarding one from a target.
///
/// The one list of the statuses the LB produces: the error responses it sends
/// (`LBErrorResponse`) and the counters it keeps (`LBErrorCounts`) are both built from
/// `allCases`. The raw value is the HTTP status code sent to the client.
public enum LBErrorCode: Int, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// The request could not be parsed.
    case badRequest = 400
    /// The client did not send a complete request in time.
    case requestTimeout = 408
    /// The request body exceeds the configured limit.
    case contentTooLarge = 413
    /// The request target exceeds the configured limit.
    case uriTooLong = 414
    /// The request carries an `Expect` other than `100-continue`.
    case expectationFailed = 417
    /// The request header section exceeds the configured limit.
    case requestHeaderFieldsTooLarge = 431
    /// The request uses a transfer coding other than `chunked`.
    case notImplemented = 501
    /// The target could not be reached or sent an invalid response.
    case badGateway = 502
    /// No healthy target could take the request.
    case serviceUnavailable = 503
    /// The target did not answer in time.
    case gatewayTimeout = 504
    /// The request's HTTP version is not 1.0 or 1.1.
    case httpVersionNotSupported = 505

    /// The response to a request the parser refused (`HTTPParseError.status`).
    public init(refusing error: HTTPParseError) {
        // Every status `HTTPParseError.status` gives (400, 414, 417, 431, 501, 502, 505) is a case
        // here; 400 is that property's own answer for every rule without a more specific status.
        self = LBErrorCode(rawValue: error.status) ?? .badRequest
    }

    /// The HTTP status code sent to the client.
    public var statusCode: Int { rawValue }

    /// Whether the status is a server error (5xx).
    public var isServerError: Bool { rawValue >= 500 }

    public var description: String { String(rawValue) }
}
