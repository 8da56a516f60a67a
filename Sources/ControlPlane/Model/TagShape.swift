/// ECS `Tag`: a key and an optional value. Both are optional on decode so that a missing key can
/// be reported as ECS reports it rather than as a decoding failure.
public struct ECSTag: Codable, Sendable, Hashable {
    public var key: String?
    public var value: String?

    public init(key: String?, value: String? = nil) {
        self.key = key
        self.value = value
    }
}
