/// What request and response heads share: header fields as ranges into the buffer that was
/// parsed (zero-copy), and the ways of reaching them.
public protocol HTTPHead {
    /// The header fields in the order received; ranges are offsets from the head's first byte.
    var fields: [HTTPField] { get }
}

extension HTTPHead {
    /// The bytes of `range` within `base` (the buffer that was parsed).
    public func bytes(of range: Range<Int>, in base: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: base[range])
    }

    /// Index of the first field named `name` (ASCII case-insensitive), or nil.
    public func field(named name: StaticString, in base: UnsafeRawBufferPointer) -> Int? {
        HTTPFieldLookup.firstIndex(in: fields, named: name, base: base)
    }

    /// Index of the first field of `kind`, or nil.
    public func firstField(_ kind: HTTPFieldKind) -> Int? {
        fields.firstIndex { $0.kind == kind }
    }
}
