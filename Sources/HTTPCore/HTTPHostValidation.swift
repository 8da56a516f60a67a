/// Validation of a Host value (or the authority of an absolute-form target):
/// `uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986 §3.2.2).
enum HTTPHostValidation {
    /// True if `bytes[start..<end]` is a valid Host value. An empty value is valid (RFC 9110 §7.2:
    /// sent when the target URI has no authority). `requirePort` is for CONNECT's authority-form.
    static func isValidHost(
        _ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, requirePort: Bool = false
    ) -> Bool {
        if start == end { return !requirePort }
        var cursor = start
        if bytes[cursor] == ASCII.leftBracket {
            // IP-literal: hex digits, ':' and '.' (IPv6, embedded IPv4) or an IPvFuture's
            // unreserved / sub-delims characters; the bracket must close.
            cursor += 1
            let literalStart = cursor
            while cursor < end, bytes[cursor] != ASCII.rightBracket {
                let byte = bytes[cursor]
                guard byte == ASCII.colon || (ASCII.isRegNameCharacter(byte) && byte != ASCII.percent) else {
                    return false
                }
                cursor += 1
            }
            guard cursor < end, cursor > literalStart else { return false }
            cursor += 1
        } else {
            let nameStart = cursor
            while cursor < end, bytes[cursor] != ASCII.colon {
                let byte = bytes[cursor]
                guard ASCII.isRegNameCharacter(byte) else { return false }
                if byte == ASCII.percent {
                    guard cursor + 2 < end, ASCII.isHexDigit(bytes[cursor + 1]), ASCII.isHexDigit(bytes[cursor + 2])
                    else { return false }
                    cursor += 2
                }
                cursor += 1
            }
            if requirePort, cursor == nameStart { return false }
        }
        if cursor == end { return !requirePort }
        guard bytes[cursor] == ASCII.colon else { return false }
        cursor += 1
        if requirePort, cursor == end { return false }
        while cursor < end {
            guard ASCII.isDigit(bytes[cursor]) else { return false }
            cursor += 1
        }
        return true
    }
}
