/// Byte constants and character classes of the HTTP grammar (RFC 9110 §5.6, RFC 9112).
///
/// The classes are 128-bit bitmaps (two `UInt64` words) rather than 256-byte arrays: a global
/// array would be lazily initialised and re-checked on every access, while these fold into
/// immediate operands of a shift-and-test.
enum ASCII {
    static let horizontalTab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let doubleQuote: UInt8 = 0x22
    static let numberSign: UInt8 = 0x23
    static let percent: UInt8 = 0x25
    static let asterisk: UInt8 = 0x2A
    static let comma: UInt8 = 0x2C
    static let period: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let questionMark: UInt8 = 0x3F
    static let at: UInt8 = 0x40
    static let leftBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let rightBracket: UInt8 = 0x5D
    static let delete: UInt8 = 0x7F
    /// OR-ing this bit into an ASCII letter gives its lower-case form.
    static let lowerCaseBit: UInt8 = 0x20

    /// `tchar` of RFC 9110 §5.6.2: `!#$%&'*+-.^_`|~`, DIGIT, ALPHA.
    private static let tokenLow: UInt64 = 0x03FF_6CFA_0000_0000
    private static let tokenHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE
    /// `reg-name` characters of RFC 3986 (unreserved, sub-delims and `%`).
    private static let regNameLow: UInt64 = 0x2BFF_7FF2_0000_0000
    private static let regNameHigh: UInt64 = 0x47FF_FFFE_87FF_FFFE
    /// HEXDIG, both cases.
    private static let hexLow: UInt64 = 0x03FF_0000_0000_0000
    private static let hexHigh: UInt64 = 0x0000_007E_0000_007E

    @inline(__always)
    private static func isMember(_ byte: UInt8, low: UInt64, high: UInt64) -> Bool {
        if byte < 64 { return (low >> UInt64(byte)) & 1 != 0 }
        if byte < 128 { return (high >> UInt64(byte &- 64)) & 1 != 0 }
        return false
    }

    /// A `tchar`: may appear in a method, field name, transfer coding or chunk extension.
    @inline(__always)
    static func isTokenCharacter(_ byte: UInt8) -> Bool { isMember(byte, low: tokenLow, high: tokenHigh) }

    /// A character of a `reg-name` host (percent signs are checked for two HEXDIG separately).
    @inline(__always)
    static func isRegNameCharacter(_ byte: UInt8) -> Bool { isMember(byte, low: regNameLow, high: regNameHigh) }

    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool { isMember(byte, low: hexLow, high: hexHigh) }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- zero <= 9 }

    @inline(__always)
    static func isAlpha(_ byte: UInt8) -> Bool { (byte | lowerCaseBit) &- 0x61 < 26 }

    /// Optional whitespace (`OWS`): SP or HTAB.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == horizontalTab }

    /// `field-vchar` / SP / HTAB: anything but a CTL (HTAB excepted) or DEL. obs-text (0x80-0xFF)
    /// is allowed and treated as opaque (RFC 9110 §5.5).
    @inline(__always)
    static func isFieldValueCharacter(_ byte: UInt8) -> Bool {
        (byte >= space && byte != delete) || byte == horizontalTab
    }

    /// The value of a hexadecimal digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt64? {
        if isDigit(byte) { return UInt64(byte &- zero) }
        let lower = byte | lowerCaseBit
        if lower &- 0x61 < 6 { return UInt64(lower &- 0x61 &+ 10) }
        return nil
    }
}

/// Word-at-a-time tests over eight bytes loaded with `loadUnaligned` (SWAR), used to skip the
/// long, uninteresting stretches of request targets and field values.
enum ByteWord {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// True if some byte of `word` is below `limit` (`limit` at most 128). Exact as a predicate.
    @inline(__always)
    static func hasByte(lessThan limit: UInt8, in word: UInt64) -> Bool {
        ((word &- ones &* UInt64(limit)) & ~word & highBits) != 0
    }

    /// True if some byte of `word` equals `byte`.
    @inline(__always)
    static func hasByte(equalTo byte: UInt8, in word: UInt64) -> Bool {
        let x = word ^ (ones &* UInt64(byte))
        return ((x &- ones) & ~x & highBits) != 0
    }

    /// True if some byte of `word` has its high bit set (is not ASCII).
    @inline(__always)
    static func hasNonASCII(_ word: UInt64) -> Bool { word & highBits != 0 }
}
