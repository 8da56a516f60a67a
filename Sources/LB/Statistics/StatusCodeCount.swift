/// How many responses carried one exact status code.
public struct StatusCodeCount: Hashable, Sendable {
    /// The status code, or ``StatusCodeCount/unclassifiedCode`` for a status outside 100...599.
    public var code: Int
    public var count: UInt64

    /// The code reported for responses whose status lies outside 100...599.
    public static let unclassifiedCode = 0

    public init(code: Int, count: UInt64) {
        self.code = code
        self.count = count
    }
}

/// The dense numbering of status codes in a worker's per-target code table: one counter per
/// code 100...599, one more for anything else. 501 four-byte counters per target keep the
/// request path to a single indexed increment, and the table is drained (and cleared) four
/// times a second, so four bytes never overflow.
@usableFromInline
enum StatusCodeTable {
    /// Codes counted exactly.
    @usableFromInline static let countedCodes = 100...599
    /// Counters per target: one per counted code and one for all others.
    @usableFromInline static let width = 501
    @usableFromInline static let unclassifiedColumn = 500

    /// The column of `status` within a target's row.
    @inlinable
    static func column(of status: Int) -> Int {
        countedCodes.contains(status) ? status &- 100 : unclassifiedColumn
    }

    /// The status code a column counts (``StatusCodeCount/unclassifiedCode`` for the last).
    static func code(ofColumn column: Int) -> Int {
        column == unclassifiedColumn ? StatusCodeCount.unclassifiedCode : column + 100
    }
}
