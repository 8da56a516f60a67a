/// The parts of a SigV4 `Authorization` header:
/// `AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/ecs/aws4_request, SignedHeaders=a;b, Signature=hex`.
struct SigV4Authorization: Sendable, Equatable {
    /// The whole header value, for messages.
    let header: String
    /// The algorithm token, e.g. `AWS4-HMAC-SHA256`.
    let algorithm: String
    /// The `key=value` parameters (a repeated key keeps its last value).
    let parameters: [String: String]

    /// Splits the header. The parameters may be separated by commas, whitespace or both; each
    /// must contain `=`, or the header is malformed as AWS reports it.
    init(parsing header: String) throws(SigV4VerificationError) {
        self.header = header
        let trimmed = ASCII.trimmed(header)
        let tokens = trimmed.utf8.split(whereSeparator: { ASCII.isWhitespace($0) || $0 == UInt8(ascii: ",") })
            .map { String(decoding: $0, as: UTF8.self) }
        algorithm = tokens.first ?? ""
        var parameters: [String: String] = [:]
        for token in tokens.dropFirst() {
            guard let equals = token.firstIndex(of: "=") else {
                throw .malformedAuthorization(part: token, header: header)
            }
            parameters[String(token[..<equals])] = String(token[token.index(after: equals)...])
        }
        self.parameters = parameters
    }

    /// The value of parameter `name` unless it is absent or empty.
    func parameter(_ name: String) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }
}
