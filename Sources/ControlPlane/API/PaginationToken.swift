import Foundation

/// ECS's `nextToken`: opaque to clients; to Wharf, the sort key of the last item returned plus
/// the operation that issued it, so a page continues after that item however the table changed
/// meanwhile (keyset pagination: no item is skipped or repeated because of inserts or deletes
/// before the cursor).
///
/// Encoding: base64url (no padding) of `{"o": OPERATION, "k": [KEY...]}`. A token that does not
/// decode, or was issued by another operation, is InvalidParameterException.
public enum PaginationToken {
    /// Longest token accepted; anything longer was not issued by Wharf.
    public static let maximumLength = 4096

    private struct Payload: Codable {
        var o: String
        var k: [String]
    }

    /// The token continuing `operation` after the item whose sort key is `key`.
    public static func encode(operation: String, key: [String]) -> String {
        let data = (try? JSONEncoder().encode(Payload(o: operation, k: key))) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The sort key inside `token`, which must have been issued by `operation` with a key of
    /// `keyCount` parts.
    public static func decode(_ token: String, operation: String, keyCount: Int) throws(ECSError) -> [String] {
        let invalid = ECSError(.invalidParameterException, "The nextToken is not valid for \(operation).")
        guard !token.isEmpty, token.utf8.count <= maximumLength else { throw invalid }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
              let payload = try? JSONDecoder().decode(Payload.self, from: data),
              payload.o == operation, payload.k.count == keyCount
        else { throw invalid }
        return payload.k
    }
}

/// One page of a list operation: the page size and where to start.
struct PageRequest {
    var size: Int
    /// The sort key of the last item already returned, nil for the first page.
    var after: [String]?

    init(operation: String, maxResults: Int?, nextToken: String?, limit: PaginationLimits.Limit,
         keyCount: Int) throws(ECSError) {
        size = try PaginationLimits.pageSize(maxResults, limit)
        if let nextToken, !nextToken.isEmpty {
            after = try PaginationToken.decode(nextToken, operation: operation, keyCount: keyCount)
        }
    }

    /// Cuts a page out of `items`: the caller queried, in sort order and starting after
    /// ``after``, up to `size + 1` items, so whether another page exists is known without a
    /// second query. Returns the first `size` items and, if there were more, the token whose key
    /// is that of the last item returned.
    func page<T>(_ items: [T], operation: String, key: (T) -> [String]) -> (items: [T], nextToken: String?) {
        guard items.count > size else { return (items, nil) }
        let kept = Array(items.prefix(size))
        guard let last = kept.last else { return (kept, nil) }
        return (kept, PaginationToken.encode(operation: operation, key: key(last)))
    }
}
