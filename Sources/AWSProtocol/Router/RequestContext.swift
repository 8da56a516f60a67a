/// What a handler knows about the request it serves besides its input.
public struct RequestContext: Sendable {
    /// The id sent back in `x-amzn-RequestId` (a lowercase UUID), for logs.
    public let requestID: String
    /// The service addressed.
    public let service: AWSService
    /// The operation name from `X-Amz-Target`, e.g. `ListClusters`.
    public let operation: String
    /// Who signed the request; its region is the one to build ARNs with.
    public let identity: AuthenticatedIdentity

    public init(requestID: String, service: AWSService, operation: String, identity: AuthenticatedIdentity) {
        self.requestID = requestID
        self.service = service
        self.operation = operation
        self.identity = identity
    }
}
