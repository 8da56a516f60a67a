import AWSProtocol

extension AWSService {
    /// AWS Secrets Manager: `X-Amz-Target: secretsmanager.<Operation>`, signed for `secretsmanager`.
    public static let secretsManager = AWSService(targetPrefix: "secretsmanager", signingName: "secretsmanager")
}
