/// One access key pair from a credentials-file profile.
public struct AWSCredential: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The profile (section) name, e.g. `wharf`.
    public var profile: String
    /// The access key id, e.g. `AKIA...` (20 characters for generated keys).
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// A session token the requests of this key must carry (`aws_session_token`), if any.
    public var sessionToken: String?

    public init(profile: String, accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.profile = profile
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// The profile and key id; never the secret or the token, so logging a credential is safe.
    public var description: String { "[\(profile)] \(accessKeyID)" }
}
