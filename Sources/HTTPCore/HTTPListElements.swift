/// Iteration over the elements of a comma-separated field value (`#element`, RFC 9110 §5.6.1).
enum HTTPListElements {
    /// Calls `body` with the offsets of each element of `bytes[start..<end]`, whitespace around
    /// it trimmed. Empty elements are passed too (as an empty range) so that each field decides
    /// whether they are an error. Stops early and returns false when `body` returns false.
    @inline(__always)
    static func forEach(
        _ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int,
        _ body: (_ elementStart: Int, _ elementEnd: Int) -> Bool
    ) -> Bool {
        var cursor = start
        while true {
            var elementStart = cursor
            while elementStart < end, ASCII.isWhitespace(bytes[elementStart]) { elementStart += 1 }
            var separator = elementStart
            while separator < end, bytes[separator] != ASCII.comma { separator += 1 }
            var elementEnd = separator
            while elementEnd > elementStart, ASCII.isWhitespace(bytes[elementEnd - 1]) { elementEnd -= 1 }
            guard body(elementStart, elementEnd) else { return false }
            if separator >= end { return true }
            cursor = separator + 1
        }
    }

    /// True if every byte of `bytes[start..<end]` is a `tchar` and there is at least one.
    @inline(__always)
    static func isToken(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard start < end else { return false }
        for index in start..<end where !ASCII.isTokenCharacter(bytes[index]) {
            return false
        }
        return true
    }
}
