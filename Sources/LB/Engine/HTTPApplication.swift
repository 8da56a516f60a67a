/// An in-process HTTP application served by Wharf's HTTP engine (the ECS API, the dashboard).
///
/// The engine parses and validates requests with the same code as the proxy, collects the
/// body (bounded), calls `handle` on the worker's event-loop thread, and writes the response
/// when `respond` is called, from any thread. Handlers must not block the loop: hand slow work
/// to another thread and call `respond` from there.
public protocol HTTPApplication: AnyObject, Sendable {
    /// Largest request body accepted (413 beyond it).
    var maxRequestBodyBytes: Int { get }
    func handle(_ request: HTTPServerRequest, respond: @escaping @Sendable (HTTPServerResponse) -> Void)
    /// The 413 to send, instead of the engine's plain one, when a request's body is over
    /// ``maxRequestBodyBytes``: by its `Content-Length` (`declaredLength`), or part way through
    /// a chunked body (nil). Called on the loop thread; the connection closes after it.
    func bodyTooLargeResponse(declaredLength: Int?) -> HTTPServerResponse?
}

extension HTTPApplication {
    /// The engine's own 413.
    public func bodyTooLargeResponse(declaredLength: Int?) -> HTTPServerResponse? { nil }
}

/// A request as an application sees it: copied out of the connection's buffers.
public struct HTTPServerRequest: Sendable {
    public var method: String
    /// The request target as sent (`/path?query`).
    public var target: String
    /// Header fields in the order received, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The client's address (`ip:port`).
    public var remoteAddress: String
    public var isTLS: Bool

    public init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8], remoteAddress: String, isTLS: Bool) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.isTLS = isTLS
    }

    /// The path part of the target.
    public var path: Substring {
        target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    }

    /// The query part of the target (after `?`), or "".
    public var query: Substring {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count > 1 ? parts[1] : ""
    }

    /// The first value of a header field, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// A complete response from an application. `Content-Length` and `Connection` are added by the
/// engine.
public struct HTTPServerResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, contentType: String, body: String) {
        self.init(status: status, headers: [("Content-Type", contentType)], body: Array(body.utf8))
    }
}
