import HTTPCore

/// The state of one request served by an in-process application.
struct ApplicationExchange {
    var request = HTTPServerRequest(method: "", target: "", headers: [], body: [], remoteAddress: "", isTLS: false)
    var bodyRemaining = 0
    var chunked = false
    var chunks = ChunkedScanner()
    var bodyComplete = false
    var keepAlive = true
    var isHEAD = false
    /// The serialized response not yet copied to the output buffer.
    var pending: [UInt8] = []
    var pendingOffset = 0
    var responding = false
}
