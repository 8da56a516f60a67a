/// Application-Layer Protocol Negotiation lists.
enum ALPN {
    /// The longest protocol name the wire format can carry (one length byte).
    static let maximumNameLength = 255

    /// The wire form: each name prefixed by its length (`"\u{8}http/1.1"`). Nil when a name
    /// is empty or too long.
    static func wireFormat(_ protocols: [String]) -> [UInt8]? {
        var wire: [UInt8] = []
        for name in protocols {
            let bytes = Array(name.utf8)
            guard !bytes.isEmpty, bytes.count <= maximumNameLength else { return nil }
            wire.append(UInt8(bytes.count))
            wire.append(contentsOf: bytes)
        }
        return wire
    }
}
