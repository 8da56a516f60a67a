/// Who sent a request whose signature verified, and for which region and service it was
/// signed.
public struct AuthenticatedIdentity: Sendable, Equatable, Hashable {
    /// The access key id from the credential scope.
    public let accessKeyID: String
    /// The credentials-file profile the key belongs to (e.g. `wharf`).
    public let profile: String
    /// The region from the credential scope (e.g. `us-east-1`); ARNs are built with it.
    public let region: String
    /// The SigV4 service name the request was signed for (`ecs`, `application-autoscaling`).
    public let service: String

    public init(accessKeyID: String, profile: String, region: String, service: String) {
        self.accessKeyID = accessKeyID
        self.profile = profile
        self.region = region
        self.service = service
    }
}
