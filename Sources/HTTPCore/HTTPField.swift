/// One field line of a parsed head, as offsets into the bytes that were parsed (zero-copy).
public struct HTTPField: Equatable, Hashable, Sendable {
    /// The field name, offsets from the first byte given to the parser.
    public var nameRange: Range<Int>
    /// The field value without leading or trailing whitespace (may be empty).
    public var valueRange: Range<Int>
    /// What the name is, if it is one the engine acts on.
    public var kind: HTTPFieldKind
    /// The name appears as a token of a Connection field: the field is hop-by-hop and a proxy
    /// must not forward it.
    public var isListedInConnection: Bool

    /// Creates a field.
    public init(nameRange: Range<Int>, valueRange: Range<Int>, kind: HTTPFieldKind, isListedInConnection: Bool = false) {
        self.nameRange = nameRange
        self.valueRange = valueRange
        self.kind = kind
        self.isListedInConnection = isListedInConnection
    }
}
