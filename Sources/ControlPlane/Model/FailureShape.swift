/// ECS `Failure`: one item a batch operation could not act on (`reason` is e.g. `MISSING`).
public struct ECSFailure: Codable, Sendable, Hashable {
    public var arn: String?
    public var reason: String?
    public var detail: String?

    public init(arn: String?, reason: String?, detail: String? = nil) {
        self.arn = arn
        self.reason = reason
        self.detail = detail
    }

    /// ECS's reason for a resource that does not exist.
    public static let missingReason = "MISSING"
}
