struct UpdateTaskProtectionRequest: Decodable {
    var cluster: String?
    var tasks: [String]?
    var protectionEnabled: Bool?
    var expiresInMinutes: Int?
}

struct GetTaskProtectionRequest: Decodable {
    var cluster: String?
    var tasks: [String]?
}

/// ECS `ProtectedTask`.
struct ECSProtectedTask: Encodable, Sendable, Equatable {
    var taskArn: String
    var protectionEnabled: Bool
    /// Seconds since the epoch; only while protected.
    var expirationDate: Double?
}

struct TaskProtectionResponse: Encodable {
    var protectedTasks: [ECSProtectedTask]
    var failures: [ECSFailure]
}
