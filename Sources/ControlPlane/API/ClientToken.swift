/// A request's client token (ECS's "Ensuring idempotency") with the rest of the request as
/// canonical JSON (sorted keys, the token left out): a retry under the token must match it.
/// RunTask and CreateService keep one each.
public struct ClientToken: Codable, Sendable, Equatable {
    public var token: String
    /// The request's parameters but the token, as canonical JSON.
    public var request: String

    public init(token: String, request: String) {
        self.token = token
        self.request = request
    }

    /// The token of `request`, checked (1 to `maxLength` characters, each ASCII 33 to 126),
    /// with the request's canonical JSON; nil when the request has none.
    static func of<Request: ClientTokenRequest>(_ request: Request, maxLength: Int) throws(ECSError) -> ClientToken? {
        guard let token = request.clientToken else { return nil }
        guard !token.isEmpty, token.utf8.count <= maxLength, token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ECSError(.invalidParameterException, "clientToken must be 1-\(maxLength) ASCII characters in the range 33-126.")
        }
        var parameters = request
        parameters.clientToken = nil
        return ClientToken(token: token, request: String(decoding: try ECSJSONCoding.encode(parameters), as: UTF8.self))
    }
}

/// A request that may carry a client token.
protocol ClientTokenRequest: Encodable {
    var clientToken: String? { get set }
}
