/// The SigV4 canonical request of an ``AWSRequest``, built as AWS services (and botocore)
/// build it for every service except S3:
///
/// ```
/// METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n PayloadHash
/// ```
struct CanonicalRequest: Sendable, Equatable {
    /// The canonical request text.
    let text: String

    /// Builds the canonical request.
    ///
    /// - Parameters:
    ///   - signedHeaders: header names in the order and spelling the signer listed them in
    ///     `SignedHeaders` (botocore lists them lowercased and sorted).
    ///   - payloadHash: lowercase hex SHA-256 of the body.
    init(method: String, rawPath: String, rawQuery: String, headers: [(name: String, value: String)],
         signedHeaders: [String], payloadHash: String)
    {
        text = [
            method,
            Self.canonicalURI(rawPath: rawPath),
            Self.canonicalQuery(rawQuery: rawQuery),
            Self.canonicalHeaders(signedHeaders: signedHeaders, headers: headers),
            signedHeaders.joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
    }

    /// The path with dot segments and empty segments removed, then URI-encoded (keeping `/`).
    ///
    /// The path arrives already percent-encoded and is encoded once more, so `%20` signs as
    /// `%2520`: SigV4 double-encodes paths for all services but S3.
    static func canonicalURI(rawPath: String) -> String {
        SigV4Encoding.encode(removingDotSegments(rawPath).utf8, keepSlash: true)
    }

    /// RFC 3986 §5.2.4 dot-segment removal, plus the removal of empty segments (`//`) that
    /// AWS services apply; a trailing slash is kept when anything is left before it.
    static func removingDotSegments(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        return leading + segments.joined(separator: "/") + trailing
    }

    /// Each `name=value` pair decoded and re-encoded with SigV4's rules, sorted by encoded
    /// name then encoded value, joined with `&`. A parameter without `=` signs as `name=`.
    ///
    /// A `+` is read as a space, as query strings are form-encoded: botocore sends spaces as
    /// `+` when it builds a query from parameters (and signs them as `%20`), and never sends
    /// a literal `+` unescaped when it encodes the query itself.
    static func canonicalQuery(rawQuery: String) -> String {
        guard !rawQuery.isEmpty else { return "" }
        var pairs: [(name: String, value: String)] = []
        for parameter in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = parameter.firstIndex(of: "=") {
                name = parameter[..<equals]
                value = parameter[parameter.index(after: equals)...]
            } else {
                name = parameter
                value = ""
            }
            pairs.append((
                SigV4Encoding.encode(SigV4Encoding.decode(name, plusIsSpace: true), keepSlash: false),
                SigV4Encoding.encode(SigV4Encoding.decode(value, plusIsSpace: true), keepSlash: false)
            ))
        }
        pairs.sort { lhs, rhs in
            lhs.name != rhs.name ? Array(lhs.name.utf8).lexicographicallyPrecedes(rhs.name.utf8)
                : Array(lhs.value.utf8).lexicographicallyPrecedes(rhs.value.utf8)
        }
        return pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// `name:value\n` for each signed header: every value of that header (case-insensitive
    /// name match) trimmed, inner whitespace runs collapsed to one space, joined with `,`.
    /// A signed header the request lacks contributes `name:` (and so fails the comparison).
    static func canonicalHeaders(signedHeaders: [String], headers: [(name: String, value: String)]) -> String {
        var out = ""
        for signed in signedHeaders {
            let values = headers.filter { ASCII.equalsIgnoringCase($0.name, signed) }.map { collapsingWhitespace($0.value) }
            out += ASCII.lowercased(signed) + ":" + values.joined(separator: ",") + "\n"
        }
        return out
    }

    /// `value` trimmed, with each inner run of whitespace replaced by a single space.
    static func collapsingWhitespace(_ value: String) -> String {
        var out: [UInt8] = []
        var pendingSpace = false
        for byte in value.utf8 {
            if ASCII.isWhitespace(byte) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
