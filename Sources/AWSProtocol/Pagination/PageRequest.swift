/// One page of a list operation: the page size and where to start, for keyset pagination with
/// ``PaginationToken``. The caller validates the page size by its service's rules (each API has
/// its own bounds and exception) and queries, in sort order and strictly after ``after``, up to
/// ``fetchLimit`` items; ``page(_:key:)`` cuts the page and issues the next token.
public struct PageRequest: Sendable, Hashable {
    /// The operation tokens are bound to.
    public var operation: String
    /// Items per page.
    public var size: Int
    /// The sort key of the last item already returned, nil for the first page.
    public var after: [String]?

    /// - Parameters:
    ///   - size: the validated page size.
    ///   - nextToken: the client's token; nil or empty for the first page.
    ///   - keyCount: how many parts the operation's sort key has.
    public init(operation: String, size: Int, nextToken: String?, keyCount: Int) throws(InvalidPaginationToken) {
        self.operation = operation
        self.size = size
        if let nextToken, !nextToken.isEmpty {
            after = try PaginationToken.decode(nextToken, operation: operation, keyCount: keyCount)
        }
    }

    /// How many items to query: one more than a page, so whether another page exists is known
    /// without a second query.
    public var fetchLimit: Int { size + 1 }

    /// Cuts a page out of `items` (queried as described above): the first ``size`` items and,
    /// if there were more, the token whose key is that of the last item returned.
    public func page<T>(_ items: [T], key: (T) -> [String]) -> (items: [T], nextToken: String?) {
        guard items.count > size else { return (items, nil) }
        let kept = Array(items.prefix(size))
        guard let last = kept.last else { return (kept, nil) }
        return (kept, PaginationToken.encode(operation: operation, key: key(last)))
    }
}
