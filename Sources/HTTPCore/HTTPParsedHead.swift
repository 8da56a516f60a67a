/// What `HTTPHeadParser` fills in on any head, request or response: the fields and the head's
/// length, after emptying the head of the previous message.
protocol HTTPParsedHead {
    var fields: [HTTPField] { get set }
    var headLength: Int { get set }
    /// Empties the head for the next message, keeping the field array's storage.
    mutating func reset()
}

extension HTTPRequestHead: HTTPParsedHead {}
extension HTTPResponseHead: HTTPParsedHead {}
