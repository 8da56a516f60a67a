import Foundation

/// A list operation's `nextToken`: opaque to clients; to Wharf, the sort key of the last item
/// returned plus the operation that issued it, so a page continues after that item however the
/// table changed meanwhile (keyset pagination: no item is skipped or repeated because of
/// inserts or deletes before the cursor), and a token of one operation is refused by another.
///
/// Encoding: base64url (no padding) of `{"o": OPERATION, "k": [KEY...]}`. A token that does not
/// decode throws ``InvalidPaginationToken``, which each API reports as its own exception.
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
    public static func decode(_ token: String, operation: String, keyCount: Int) throws(InvalidPaginationToken) -> [String] {
        let invalid = InvalidPaginationToken(operation: operation)
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

/// A `nextToken` that ``PaginationToken`` did not issue for the operation it was given to.
/// Service-neutral: ECS reports it as InvalidParameterException, Application Auto Scaling as
/// InvalidNextTokenException.
public struct InvalidPaginationToken: Error, Sendable, Hashable, CustomStringConvertible {
    /// The operation the token was given to.
    public var operation: String

    public init(operation: String) {
        self.operation = operation
    }

    public var description: String { "The nextToken is not valid for \(operation)." }
}
