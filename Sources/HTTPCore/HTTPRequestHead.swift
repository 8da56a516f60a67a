/// A parsed request head. Every range is a byte offset into the buffer given to
/// `HTTPRequestParser.parse` (its first byte is offset 0, even when empty lines before the
/// request line were skipped); nothing is copied out of that buffer.
///
/// Create one per connection and reuse it: the parser empties `fields` keeping its capacity.
public struct HTTPRequestHead: HTTPHead, Equatable, Sendable {
    /// The method; `.other` for methods without a case (see `methodRange`).
    public var method: HTTPMethod = .get
    /// The method token.
    public var methodRange: Range<Int> = 0..<0
    /// The request target as sent.
    public var targetRange: Range<Int> = 0..<0
    /// Which of the four forms the target is in.
    public var targetForm: HTTPTargetForm = .origin
    /// The target in origin form: the whole target for origin form; for absolute form, what
    /// follows the authority, which may be empty or start with `?` (forward it as `/` + it then).
    /// Empty for authority and asterisk forms.
    public var targetPathRange: Range<Int> = 0..<0
    /// The authority of an absolute-form or authority-form target, else nil.
    ///
    /// For an absolute-form target the parser still requires a valid Host, and Host is the
    /// authority the engine routes by: a target authority that differs from Host is accepted,
    /// not compared. Forward `targetPathRange` (origin form) so the next hop sees only Host.
    public var targetAuthorityRange: Range<Int>?
    /// The protocol version of the request line.
    public var version: HTTPVersion = .http1_1
    /// The field lines in order of arrival.
    public var fields: [HTTPField] = []
    /// How the body is delimited.
    public var framing: HTTPRequestFraming = .none
    /// The connection may carry another request after this one (version default and
    /// Connection `close` / `keep-alive`).
    public var keepAlive = true
    /// Index into `fields` of the one Host field.
    public var hostFieldIndex: Int?
    /// An HTTP/1.1 request with `Expect: 100-continue` (ignored in HTTP/1.0, RFC 9110 §10.1.1).
    public var expectsContinue = false
    /// An HTTP/1.1 request with a Connection `upgrade` option and an Upgrade field.
    public var upgradeRequested = false
    /// Bytes of the head, from offset 0 through the CRLF of the empty line. The body (or the
    /// next pipelined request) starts here.
    public var headLength = 0

    /// Creates an empty head to parse into.
    public init() {}

    mutating func reset() {
        method = .get
        methodRange = 0..<0
        targetRange = 0..<0
        targetForm = .origin
        targetPathRange = 0..<0
        targetAuthorityRange = nil
        version = .http1_1
        fields.removeAll(keepingCapacity: true)
        framing = .none
        keepAlive = true
        hostFieldIndex = nil
        expectsContinue = false
        upgradeRequested = false
        headLength = 0
    }
}
