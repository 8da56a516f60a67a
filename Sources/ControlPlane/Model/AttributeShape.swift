/// ECS `Attribute`: a name and optional value on a target (today only container instances).
public struct ECSAttribute: Codable, Sendable, Hashable {
    public var name: String?
    public var value: String?
    /// `container-instance`; required when `targetId` is a short ID rather than an ARN.
    public var targetType: String?
    /// Container instance ID or full ARN.
    public var targetId: String?

    public init(name: String?, value: String? = nil, targetType: String? = nil, targetId: String? = nil) {
        self.name = name
        self.value = value
        self.targetType = targetType
        self.targetId = targetId
    }

    /// The only `TargetType` ECS defines.
    public static let containerInstanceTargetType = "container-instance"
}
