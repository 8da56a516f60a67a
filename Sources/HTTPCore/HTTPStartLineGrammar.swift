/// The part of a head that differs between requests and responses, as `HTTPHeadParser` drives
/// it: the start line (scanned resumably) and the rules that need the whole head.
///
/// Implemented by structs and used only as a generic parameter, so every call is static and
/// inlined into the concrete parser: no existential, no closure.
protocol HTTPStartLineGrammar: Sendable {
    associatedtype Head: HTTPParsedHead
    /// What `finish` needs beyond the head (for a response: the request it answers).
    associatedtype Context

    /// Who sends this kind of head (field rules differ for client and server).
    static var sender: HTTPFieldFacts.Sender { get }

    /// A grammar at the first byte of a message.
    init()

    /// Returns to the first byte of a message.
    mutating func reset()

    /// Scans the start line from `index` (where the previous call stopped) up to `end`,
    /// including the line feed that ends it; `index` is where the next call resumes.
    mutating func scan(
        _ base: UnsafePointer<UInt8>, index: inout Int, end: Int, limits: HTTPLimits, head: inout Head
    ) -> HTTPStartLineOutcome

    /// Applies the rules that need the whole head (`facts` are the field section's) and fills
    /// in the derived facts; returns the rule broken, if any (the driver then sets `headLength`).
    mutating func finish(_ base: UnsafePointer<UInt8>, facts: HTTPFieldFacts, head: inout Head, context: Context)
        -> HTTPParseError?
}

/// How far a call to `HTTPStartLineGrammar.scan` got.
enum HTTPStartLineOutcome {
    /// The bytes ran out inside the start line.
    case incomplete
    /// The start line and its line feed are scanned: the field section follows.
    case ended
    /// The start line breaks a rule.
    case failed(HTTPParseError)
}
