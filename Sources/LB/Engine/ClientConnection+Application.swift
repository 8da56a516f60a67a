import HTTPCore

/// Requests served by an in-process `HTTPApplication` instead of a target.
extension ClientConnection {
    func beginApplicationRequest() {
        guard let input, let app = listener.application else { return }
        state = .application
        setDeadline(.clientBodyIdle)
        application = ApplicationExchange()
        application.keepAlive = exchange.clientKeepAlive
        application.isHEAD = head.method == .head
        let base = input.readableBytesView
        application.request = HTTPServerRequest(
            method: text(base, head.methodRange),
            target: text(base, head.targetRange),
            headers: head.fields.map { (name: text(base, $0.nameRange), value: text(base, $0.valueRange)) },
            body: [],
            remoteAddress: peer.description,
            isTLS: transport.isTLS
        )
        switch head.framing {
        case .none:
            application.bodyComplete = true
        case .contentLength(let length):
            guard length <= app.maxRequestBodyBytes else {
                respondBodyTooLarge(app, declaredLength: length)
                return
            }
            application.bodyRemaining = length
            application.bodyComplete = length == 0
            application.request.body.reserveCapacity(length)
        case .chunked:
            application.chunked = true
        }
        let expectsContinue = head.expectsContinue
        input.consume(head.headLength)
        exchange.requestComplete = application.bodyComplete
        if !application.bodyComplete && expectsContinue && input.readableBytes == 0 {
            _ = outputBuffer().append("HTTP/1.1 100 Continue\r\n\r\n")
            flushOutput()
        }
        if application.bodyComplete {
            dispatchApplicationRequest()
        } else {
            collectApplicationBody()
        }
    }

    func collectApplicationBody() {
        guard let input, let app = listener.application, !application.bodyComplete else { return }
        let bytes = input.readableBytesView
        if application.chunked {
            // Swapped out while the scanner appends, so the collected body is never copied.
            var body: [UInt8] = []
            swap(&body, &application.request.body)
            var tooLarge = false
            let result = application.chunks.scan(bytes) { data in
                if body.count + data.count > app.maxRequestBodyBytes { tooLarge = true; return }
                body.append(contentsOf: data)
            }
            swap(&body, &application.request.body)
            if tooLarge {
                respondBodyTooLarge(app, declaredLength: nil)
                return
            }
            switch result {
            case .consumed(let used, let finished):
                input.consume(used)
                application.bodyComplete = finished
            case .failed:
                respondWithError(.badRequest, close: true)
                return
            }
        } else {
            let used = min(bytes.count, application.bodyRemaining)
            application.request.body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<used]))
            input.consume(used)
            application.bodyRemaining -= used
            application.bodyComplete = application.bodyRemaining == 0
        }
        if application.bodyComplete {
            exchange.requestComplete = true
            dispatchApplicationRequest()
        }
    }

    /// Refuses a body over the application's limit without reading it: the application's own
    /// 413 when it has one (the AWS API's JSON error; counted as the application's response),
    /// else the engine's (counted as an LB error); then the connection closes, since the rest
    /// of the body is never read.
    private func respondBodyTooLarge(_ app: any HTTPApplication, declaredLength: Int?) {
        guard let response = app.bodyTooLargeResponse(declaredLength: declaredLength) else {
            respondWithError(.contentTooLarge, close: true)
            return
        }
        application = ApplicationExchange()
        application.keepAlive = false
        exchange.requestComplete = false
        lingerAfterClosing = true
        applicationResponded(response)
    }

    private func dispatchApplicationRequest() {
        guard let app = listener.application else { return }
        setDeadline(.none)
        let loop = worker.loop
        let request = application.request
        application.request.body = []
        nonisolated(unsafe) weak let connection = self
        app.handle(request) { response in
            loop.execute {
                connection?.applicationResponded(response)
            }
        }
    }

    /// Called on the loop thread with the application's response.
    func applicationResponded(_ response: HTTPServerResponse) {
        guard state == .application, !application.responding else { return }
        application.responding = true
        let keepAlive = application.keepAlive && !clientReadClosed && !worker.isShuttingDown
        exchange.clientKeepAlive = keepAlive
        var head = "HTTP/1.1 \(response.status) \(String(describing: HTTPStatus.reasonPhrase(response.status)))\r\n"
        for (name, value) in response.headers {
            let lower = name.lowercased()
            if lower == "content-length" || lower == "connection" || lower == "transfer-encoding" { continue }
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\n"
        if !keepAlive { head += "Connection: close\r\n" }
        head += "\r\n"
        application.pending = Array(head.utf8)
        let noBody = application.isHEAD || response.status == 204 || response.status == 304 || response.status < 200
        if !noBody { application.pending.append(contentsOf: response.body) }
        application.pendingOffset = 0
        exchange.responseStatus = response.status
        continueApplicationResponse()
    }

    /// Copies the next part of the pending response into the output buffer and writes it.
    func continueApplicationResponse() {
        guard state == .application, application.responding else { return }
        if application.pendingOffset < application.pending.count {
            let out = outputBuffer()
            if out.writableBytes == 0 { out.compact() }
            let count = min(out.writableBytes, application.pending.count - application.pendingOffset)
            application.pending.withUnsafeBytes { all in
                _ = out.append(UnsafeRawBufferPointer(rebasing: all[application.pendingOffset..<(application.pendingOffset + count)]))
            }
            application.pendingOffset += count
            flushOutput()
            return
        }
        // Everything is in the output buffer: the exchange is over.
        application = ApplicationExchange()
        worker.noteApplicationResponseCompleted(self, status: exchange.responseStatus)
        finishExchange()
    }

    private func text(_ base: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: base[range]), as: UTF8.self)
    }
}
