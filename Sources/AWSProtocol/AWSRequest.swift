/// One HTTP request as the AWS protocol layer sees it, independent of the transport.
///
/// `path` and `query` are the request target exactly as received, still percent-encoded:
/// Signature Version 4 signs the encoded form, so decoding them first would break
/// verification of any path or query with escapes in it.
public struct AWSRequest: Sendable {
    /// The method as sent, e.g. `POST`.
    public var method: String
    /// The raw, percent-encoded path of the request target, e.g. `/` or `/a%20b`.
    public var path: String
    /// The raw query string without the leading `?` (`""` when there is none).
    public var query: String
    /// Header fields in arrival order, with the case the client used. A name may repeat.
    public var headers: [(name: String, value: String)]
    /// The request body, fully read.
    public var body: [UInt8]

    public init(
        method: String, path: String, query: String = "",
        headers: [(name: String, value: String)] = [], body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Every value of the header `name` (compared without regard to ASCII case), in order.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { ASCII.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    /// The first value of the header `name` (compared without regard to ASCII case).
    public func headerValue(_ name: String) -> String? {
        headers.first { ASCII.equalsIgnoringCase($0.name, name) }?.value
    }
}
