/// An AWS JSON 1.1 service as its clients address it: the `X-Amz-Target` prefix that
/// precedes each operation name and the name requests are signed for.
public struct AWSService: Sendable, Hashable, CustomStringConvertible {
    /// The `X-Amz-Target` prefix, e.g. `AmazonEC2ContainerServiceV20141113`.
    public let targetPrefix: String
    /// The SigV4 signing name, e.g. `ecs`.
    public let signingName: String

    public init(targetPrefix: String, signingName: String) {
        self.targetPrefix = targetPrefix
        self.signingName = signingName
    }

    /// Amazon Elastic Container Service.
    public static let ecs = AWSService(targetPrefix: "AmazonEC2ContainerServiceV20141113", signingName: "ecs")

    /// Application Auto Scaling.
    public static let applicationAutoScaling = AWSService(
        targetPrefix: "AnyScaleFrontendService", signingName: "application-autoscaling")

    public var description: String { signingName }
}
