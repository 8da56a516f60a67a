import HTTPCore

/// Responses the load balancer produces itself (400, 408, 413, 414, 431, 502, 503, 504, ...).
extension ClientConnection {
    /// Answers the current request with an error of the LB's own and either closes the
    /// connection after it or carries on with the next request.
    ///
    /// Once any byte of a target's response has gone to the client, an error can no longer be
    /// sent: the connection is closed instead, which is how HTTP/1.1 signals a broken response.
    func respondWithError(status: Int, close: Bool) {
        worker.noteLBError(self, status: status)
        if exchange.responseHeadSent {
            abort()
            return
        }
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            upstream.close(reset: true)
        }
        let closeAfter = close || !exchange.requestComplete || !exchange.clientKeepAlive || state == .readingHead
        let out = outputBuffer()
        let response = LBErrorResponse.bytes(status: status, close: closeAfter)
        let written = response.withUnsafeBytes { out.append($0) }
        if !written {
            // No room behind a pipelined response still waiting: give up on this connection.
            abort()
            return
        }
        if closeAfter {
            exchange.phase = .none
            state = .closing
            setDeadline(.clientWriteStall)
            flushOutput()
        } else {
            finishExchange()
        }
    }
}

/// The fixed bytes of each error response the LB generates: small bodies, precomputed.
enum LBErrorResponse {
    private static let keepAlive: [Int: [UInt8]] = table(close: false)
    private static let closing: [Int: [UInt8]] = table(close: true)

    /// Statuses the LB generates.
    static let statuses = [400, 403, 404, 405, 408, 411, 413, 414, 417, 421, 426, 431, 500, 501, 502, 503, 504, 505]

    /// The whole response for `status`, with `Connection: close` when `close`.
    static func bytes(status: Int, close: Bool) -> [UInt8] {
        let table = close ? closing : keepAlive
        return table[status] ?? table[500] ?? []
    }

    private static func table(close: Bool) -> [Int: [UInt8]] {
        var out: [Int: [UInt8]] = [:]
        for status in statuses {
            let phrase = String(describing: HTTPStatus.reasonPhrase(status))
            let body = "\(status) \(phrase)\n"
            var text = "HTTP/1.1 \(status) \(phrase)\r\n"
            text += "Content-Type: text/plain; charset=utf-8\r\n"
            text += "Content-Length: \(body.utf8.count)\r\n"
            text += "Cache-Control: no-store\r\n"
            if close { text += "Connection: close\r\n" }
            text += "\r\n" + body
            out[status] = Array(text.utf8)
        }
        return out
    }
}
