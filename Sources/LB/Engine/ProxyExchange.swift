import HTTPCore

/// The state of one request/response exchange between a client connection and a target.
///
/// Kept as a value inside the client connection (no allocation per request). Phases follow
/// HAProxy's stream states, reduced to what an HTTP/1.1 reverse proxy needs.
struct ProxyExchange {
    enum Phase: Equatable {
        /// No exchange in progress.
        case none
        /// Waiting for the target connection to be established.
        case connecting
        /// Sending the request (head and body) to the target.
        case sendingRequest
        /// The request has been sent; waiting for the response head.
        case awaitingResponse
        /// Relaying the response body to the client.
        case relayingResponse
        /// After a 101 response: bytes flow both ways until either side closes.
        case tunnel
    }

    var phase: Phase = .none

    // The request.
    var method: HTTPMethod = .get
    var requestIsUpgrade = false
    var clientKeepAlive = true
    var clientIsHTTP10 = false
    /// The head and the whole body are still at the front of the client's input buffer, so the
    /// request can be sent again to another target.
    var retained = false
    /// Bytes at the front of the client's input buffer that belong to this request (when retained).
    var retainedLength = 0
    /// Request body bytes still to forward (Content-Length framing).
    var requestBodyRemaining = 0
    var requestBodyChunked = false
    var requestChunks = ChunkedScanner()
    var requestComplete = false

    // The target.
    var groupIndex = 0
    var targetIndex = 0
    var targetID = TargetID(rawValue: 0)
    /// The routing generation the target was picked in (its index is valid only in that one).
    var generation: UInt64 = 0
    var groupName = ""
    var attempts = 0
    /// One attempt was sent again after the pooled connection it used went stale (the
    /// keep-alive race); that retry does not count against `limits.targetConnectAttempts`.
    var retriedStaleConnection = false
    var upstream: UpstreamConnection?

    // The response.
    var responseStatus = 0
    var responseBytesReceived = false
    var responseHeadSent = false
    var responseFraming: HTTPResponseFraming = .none
    var responseBodyRemaining = 0
    var responseChunks = ChunkedScanner()
    /// The response is chunked but the client speaks HTTP/1.0: the body is de-chunked and the
    /// connection closed after it.
    var dechunkForClient = false
    var responseKeepAlive = true

    // Timing (event-loop seconds).
    var startedAt = 0.0
    var requestSentAt = 0.0

    /// RFC 9110 section 9.2.2: these may be sent again after a failure without changing the outcome.
    var isIdempotent: Bool {
        switch method {
        case .get, .head, .options, .trace, .put, .delete: return true
        default: return false
        }
    }
}
