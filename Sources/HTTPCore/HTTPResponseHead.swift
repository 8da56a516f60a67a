/// A parsed response head from a target. Ranges are byte offsets into the buffer given to
/// `HTTPResponseParser.parse`; nothing is copied out of it.
public struct HTTPResponseHead: HTTPHead, Equatable, Sendable {
    /// The status code, 100...599.
    public var status = 0
    /// The status line without its CRLF.
    public var statusLineRange: Range<Int> = 0..<0
    /// The reason phrase (may be empty).
    public var reasonRange: Range<Int> = 0..<0
    /// The protocol version of the status line.
    public var version: HTTPVersion = .http1_1
    /// The field lines in order of arrival.
    public var fields: [HTTPField] = []
    /// How the body is delimited, given the request it answers.
    public var framing: HTTPResponseFraming = .none
    /// The target's connection may carry another request after this response: version default
    /// and Connection options, and false whenever the body runs until close.
    public var keepAlive = true
    /// A 1xx response: another response to the same request follows (except after a 101).
    public var isInformational = false
    /// A 101 answer to an upgrade request: the connection now carries another protocol.
    public var isSwitchingProtocols = false
    /// A 2xx answer to CONNECT: the connection is now a tunnel.
    public var establishesTunnel = false
    /// Bytes of the head, through the CRLF of the empty line.
    public var headLength = 0

    /// Creates an empty head to parse into.
    public init() {}

    mutating func reset() {
        status = 0
        statusLineRange = 0..<0
        reasonRange = 0..<0
        version = .http1_1
        fields.removeAll(keepingCapacity: true)
        framing = .none
        keepAlive = true
        isInformational = false
        isSwitchingProtocols = false
        establishesTunnel = false
        headLength = 0
    }
}
