/// A response the load balancer generates itself instead of forwarding one from a target.
///
/// The raw value is the HTTP status code sent to the client.
public enum LBErrorCode: Int, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// The request could not be parsed.
    case badRequest = 400
    /// The client did not send a complete request in time.
    case requestTimeout = 408
    /// The request body exceeds the configured limit.
    case contentTooLarge = 413
    /// The request target exceeds the configured limit.
    case uriTooLong = 414
    /// The request header section exceeds the configured limit.
    case requestHeaderFieldsTooLarge = 431
    /// The target could not be reached or sent an invalid response.
    case badGateway = 502
    /// No healthy target could take the request.
    case serviceUnavailable = 503
    /// The target did not answer in time.
    case gatewayTimeout = 504

    /// The HTTP status code sent to the client.
    public var statusCode: Int { rawValue }

    public var description: String { String(rawValue) }
}
