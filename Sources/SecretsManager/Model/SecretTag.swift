/// A secret's tag, `{"Key", "Value"}` on the wire.
struct SecretTag: Codable, Sendable, Equatable {
    var key: String
    var value: String
}
