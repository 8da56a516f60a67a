/// One version of a secret's value. Exactly one of `secretString` and `secretBinary` is set.
struct SecretVersion: Codable, Sendable, Equatable {
    /// The version id (the request's ClientRequestToken, or a UUID).
    var id: String
    var secretString: String?
    /// SecretBinary as the wire carries it: base64 text.
    var secretBinary: String?
    /// Staging labels (`AWSCURRENT`, `AWSPREVIOUS`, custom ones). A version left without any
    /// is removed (AWS keeps such versions as deprecated; Wharf does not).
    var stages: [String]
    /// Seconds since the epoch.
    var createdDate: Double

    /// Whether this version holds exactly this value (a retried request's, for idempotency).
    func holdsValue(string: String?, binary: String?) -> Bool {
        secretString == string && secretBinary == binary
    }
}
