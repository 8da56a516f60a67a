import AWSProtocol
import Foundation

/// AWS JSON 1.1 requests as the AWS CLI sends them (`POST /`, `X-Amz-Target`, SigV4 in the
/// header form), made with a fixed test key so API tests go through the real router and verifier.
public struct SignedJSONRequests: Sendable {
    public let credential: AWSCredential
    public let region: String
    /// The SigV4 signing name (`secretsmanager`, `application-autoscaling`, ...).
    public let service: String
    /// The `X-Amz-Target` prefix before `.<Operation>`.
    public let targetPrefix: String

    public init(credential: AWSCredential, region: String, service: String, targetPrefix: String) {
        self.credential = credential
        self.region = region
        self.service = service
        self.targetPrefix = targetPrefix
    }

    /// A verifier that knows only this key, on `clock`.
    public func verifier(clock: @escaping @Sendable () -> Date) throws -> SigV4Verifier {
        SigV4Verifier(credentials: try CredentialStore(credentials: [credential]), clock: clock)
    }

    /// `operation` with the JSON `body`, signed at `date` (unsigned when `date` is nil) for
    /// `service` (this API's signing name unless given: tests of a wrong scope pass another).
    public func request(_ operation: String, _ body: JSONValue, date: Date?, service: String? = nil) throws -> AWSRequest {
        var request = AWSRequest(
            method: "POST", path: "/",
            headers: [
                (name: "Host", value: "127.0.0.1:8080"),
                (name: "Content-Type", value: "application/x-amz-json-1.1"),
                (name: "X-Amz-Target", value: "\(targetPrefix).\(operation)"),
            ],
            body: JSONWriter.bytes(body))
        if let date {
            try SigV4Signer(credential: credential, region: region, service: service ?? self.service).sign(&request, date: date)
        }
        return request
    }
}
