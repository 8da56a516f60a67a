/// A cluster query expression that does not parse: where (`offset`, in Unicode scalars from the
/// start of the expression, 0-based) and why.
public struct ClusterQueryParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) (at offset \(offset))" }
}
