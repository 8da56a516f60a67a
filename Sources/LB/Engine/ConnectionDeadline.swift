/// Which named timeout a connection is currently running against.
///
/// A connection has one timer; each phase of its life sets the deadline that applies to it. The
/// names are those of `LBConfiguration.Timeouts`, so an expiry can be reported precisely.
enum ConnectionDeadline: Equatable {
    /// No timeout runs (e.g. the application is producing a response).
    case none
    /// Between requests on a keep-alive connection: `clientIdleKeepAlive`.
    case clientIdle
    /// From the first byte of a request head until its end: `clientHeaderRead` (slowloris).
    case clientHeaderRead
    /// Discarding what a client still sends after the error response that ends its connection:
    /// `clientLinger`.
    case clientLinger
    /// The TLS handshake of a new connection: `tlsHandshake`.
    case tlsHandshake
    /// A request body stalls on the client's side: `clientBodyIdle`.
    case clientBodyIdle
    /// The client does not take the response (or the last bytes before a close): `clientWriteStall`.
    case clientWriteStall
    /// Connecting to a target: `targetConnect`.
    case targetConnect
    /// From the end of the request until the response is complete or makes progress: `targetResponse`.
    case targetResponse
    /// Finishing in-flight work during a graceful shutdown.
    case shutdown
}
