/// Writes a client connection has put off until its worker's loop is about to wait for events
/// (`ProxyWorker.deferWrites`).
///
/// The request path writes a request to its target, and a complete response to its client,
/// after the iteration's other callbacks rather than at once: one wake-up of the worker then
/// sends a batch of writes back to back, and the peers (targets, clients) are woken once for
/// the batch instead of once per write. The state machines see nothing new: a deferred write
/// is a write that found the socket full and is retried shortly, with the bytes waiting in the
/// connection's buffers meanwhile.
struct DeferredWrites: OptionSet {
    let rawValue: UInt8

    /// The client's output buffer is to be flushed (`ClientConnection.flushOutput`).
    static let client = DeferredWrites(rawValue: 1 << 0)
    /// The request is to be written to the exchange's target (`ClientConnection.flushToTarget`).
    static let target = DeferredWrites(rawValue: 1 << 1)
}
