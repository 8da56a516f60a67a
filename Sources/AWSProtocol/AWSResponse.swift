/// One HTTP response produced by the AWS protocol layer, independent of the transport.
///
/// The transport adds framing (`Content-Length` or chunking), `Date` and connection headers;
/// `headers` holds only what the protocol itself says.
public struct AWSResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Header fields in the order they should be sent.
    public var headers: [(name: String, value: String)]
    /// The response body.
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (compared without regard to ASCII case).
    public func headerValue(_ name: String) -> String? {
        headers.first { ASCII.equalsIgnoringCase($0.name, name) }?.value
    }
}
