/// The outcome of one call to `HTTPRequestParser.parse` or `HTTPResponseParser.parse`.
public enum HTTPParseStatus: Equatable, Hashable, Sendable {
    /// The head is not complete yet: call again with the same bytes plus whatever arrives next.
    case incomplete
    /// The head is complete; its length is the head's `headLength`.
    case complete
    /// The head breaks a rule; the connection must not be reused.
    case failed(HTTPParseError)
}
