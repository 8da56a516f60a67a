import HTTPCore

/// Responses the load balancer produces itself (every ``LBErrorCode``).
extension ClientConnection {
    /// Answers the current request with an error of the LB's own and either closes the
    /// connection after it or carries on with the next request.
    ///
    /// Once any byte of a target's response has gone to the client, an error can no longer be
    /// sent: the connection is closed instead, which is how HTTP/1.1 signals a broken response.
    func respondWithError(_ code: LBErrorCode, close: Bool) {
        worker.noteLBError(self, code)
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
        let response = LBErrorResponse.bytes(for: code, close: closeAfter)
        let written = response.withUnsafeBytes { out.append($0) }
        if !written {
            // No room behind a pipelined response still waiting: give up on this connection.
            abort()
            return
        }
        if closeAfter {
            // The rest of the request (a body, a head cut short) may still be on its way; not
            // after a timeout, when the client is the one that stopped sending.
            lingerAfterClosing = code != .requestTimeout && (state == .readingHead || !exchange.requestComplete)
            exchange.phase = .none
            state = .closing
            setDeadline(.clientWriteStall)
            flushOutput()
        } else {
            finishExchange()
        }
    }
}

/// The fixed bytes of each error response the LB generates: small bodies, precomputed for
/// every ``LBErrorCode``.
enum LBErrorResponse {
    private static let keepAlive = table(close: false)
    private static let closing = table(close: true)

    /// The whole response for `code`, with `Connection: close` when `close`.
    static func bytes(for code: LBErrorCode, close: Bool) -> [UInt8] {
        (close ? closing : keepAlive)[code] ?? render(code, close: close)
    }

    private static func table(close: Bool) -> [LBErrorCode: [UInt8]] {
        Dictionary(uniqueKeysWithValues: LBErrorCode.allCases.map { ($0, render($0, close: close)) })
    }

    private static func render(_ code: LBErrorCode, close: Bool) -> [UInt8] {
        let status = code.statusCode
        let phrase = String(describing: HTTPStatus.reasonPhrase(status))
        let body = "\(status) \(phrase)\n"
        var text = "HTTP/1.1 \(status) \(phrase)\r\n"
        text += "Content-Type: text/plain; charset=utf-8\r\n"
        text += "Content-Length: \(body.utf8.count)\r\n"
        text += "Cache-Control: no-store\r\n"
        if close { text += "Connection: close\r\n" }
        text += "\r\n" + body
        return Array(text.utf8)
    }
}
