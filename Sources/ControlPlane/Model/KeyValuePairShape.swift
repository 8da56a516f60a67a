/// ECS `KeyValuePair` as used by cluster `statistics` and attachment `details`.
public struct ECSKeyValuePair: Codable, Sendable, Hashable {
    public var name: String?
    public var value: String?

    public init(name: String?, value: String?) {
        self.name = name
        self.value = value
    }
}

/// ECS `Attachment` (cluster capacity provider plans, ENIs of container instances).
public struct ECSAttachment: Codable, Sendable, Hashable {
    public var id: String?
    public var type: String?
    public var status: String?
    public var details: [ECSKeyValuePair]?

    public init(id: String?, type: String?, status: String?, details: [ECSKeyValuePair]?) {
        self.id = id
        self.type = type
        self.status = status
        self.details = details
    }
}
