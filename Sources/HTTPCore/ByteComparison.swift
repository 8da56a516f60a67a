/// Comparisons of raw head bytes against ASCII literals, without creating Strings.
enum ByteComparison {
    /// True if the `count` bytes at `bytes` are exactly `literal`.
    @inline(__always)
    static func equals(_ bytes: UnsafePointer<UInt8>, count: Int, _ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for offset in 0..<count where bytes[offset] != expected[offset] {
            return false
        }
        return true
    }

    /// True if the `count` bytes at `bytes` equal `lowercaseLiteral` ignoring ASCII case.
    ///
    /// `lowercaseLiteral` must be lower-case letters, digits and `-`: for those, OR-ing 0x20 into
    /// a token byte can only produce a match from the same letter in either case.
    @inline(__always)
    static func equalsIgnoringCase(
        _ bytes: UnsafePointer<UInt8>, count: Int, lowercaseLiteral: StaticString
    ) -> Bool {
        guard count == lowercaseLiteral.utf8CodeUnitCount else { return false }
        let expected = lowercaseLiteral.utf8Start
        for offset in 0..<count where bytes[offset] | ASCII.lowerCaseBit != expected[offset] {
            return false
        }
        return true
    }

    /// True if two byte runs are equal ignoring ASCII case (for names taken from the wire).
    @inline(__always)
    static func equalsIgnoringCase(
        _ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, count: Int
    ) -> Bool {
        for offset in 0..<count {
            let a = lhs[offset]
            let b = rhs[offset]
            if a == b { continue }
            guard ASCII.isAlpha(a), a | ASCII.lowerCaseBit == b | ASCII.lowerCaseBit else { return false }
        }
        return true
    }
}
