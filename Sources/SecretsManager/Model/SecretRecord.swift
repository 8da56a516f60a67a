/// A secret as stored: its identity, metadata and versions. Times are seconds since the epoch.
struct SecretRecord: Codable, Sendable, Equatable {
    /// The staging label of the version GetSecretValue returns by default.
    static let currentStage = "AWSCURRENT"
    /// The label the version that was current before the last change keeps.
    static let previousStage = "AWSPREVIOUS"

    var name: String
    var arn: String
    var description: String?
    var tags: [SecretTag]
    var createdDate: Double
    var lastChangedDate: Double
    /// The day (midnight UTC) GetSecretValue last read the secret, as AWS keeps it; nil until then.
    var lastAccessedDate: Double?
    /// When DeleteSecret was called (the secret is "marked for deletion").
    var deletedDate: Double?
    /// When the secret goes for good (DeletedDate plus the recovery window).
    var deletionDate: Double?
    /// Oldest first.
    var versions: [SecretVersion]

    var isMarkedForDeletion: Bool { deletedDate != nil }

    /// The version carrying `stage`.
    func version(stage: String) -> SecretVersion? {
        versions.first { $0.stages.contains(stage) }
    }

    func version(id: String) -> SecretVersion? {
        versions.first { $0.id == id }
    }

    /// Adds `version` with its `stages`, taking each of them off the version that had it; when
    /// AWSCURRENT moves, the version that had it becomes AWSPREVIOUS. Versions left without a
    /// label are dropped.
    mutating func add(_ version: SecretVersion) {
        let previousCurrent = version.stages.contains(Self.currentStage) ? self.version(stage: Self.currentStage)?.id : nil
        for index in versions.indices {
            versions[index].stages.removeAll { version.stages.contains($0) }
            if previousCurrent != nil { versions[index].stages.removeAll { $0 == Self.previousStage } }
            if versions[index].id == previousCurrent { versions[index].stages.append(Self.previousStage) }
        }
        versions.removeAll { $0.stages.isEmpty }
        versions.append(version)
    }
}
