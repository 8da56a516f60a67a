import AWSProtocol
import Foundation

extension SecretsManagerAPI {
    /// CreateSecret: a new secret, with a first version (AWSCURRENT) when a value is given. A
    /// retry (the CLI and SDKs fill ClientRequestToken and send it again) finding the version
    /// that token made, with the same value, answers what the first call did, as AWS does.
    func createSecret(_ members: JSONMembers, region: String) throws(AWSServiceError) -> JSONValue {
        let name = try SecretInput.name(members)
        let description = try SecretInput.description(members)
        let token = try SecretInput.clientRequestToken(members)
        let value = try SecretInput.value(members)
        let tags = try SecretInput.tags(members)
        if members.contains("AddReplicaRegions") {
            throw SecretsManagerError.invalidRequest("Wharf does not replicate secrets to other regions.")
        }
        let now = self.now
        let arn = SecretARN.make(name: name, region: region, accountID: accountID)
        return try transaction { store in
            if let existing = try store.secret(named: name) {
                if existing.isMarkedForDeletion {
                    throw SecretsManagerError.invalidRequest(
                        "You can't create this secret because a secret with this name is already scheduled for deletion.")
                }
                if let value, let retried = try Self.retriedVersion(of: existing, token: token, value: value) {
                    return .object([
                        "ARN": .string(existing.arn), "Name": .string(existing.name), "VersionId": .string(retried.id),
                    ])
                }
                throw SecretsManagerError.exists("The operation failed because the secret \(name) already exists.")
            }
            var secret = SecretRecord(name: name, arn: arn, description: description, tags: tags, createdDate: now,
                                      lastChangedDate: now, lastAccessedDate: nil, deletedDate: nil, deletionDate: nil, versions: [])
            var output: [String: JSONValue] = ["ARN": .string(arn), "Name": .string(name)]
            if let value {
                let version = SecretVersion(id: token ?? UUID().uuidString.lowercased(), secretString: value.string,
                                            secretBinary: value.binary, stages: [SecretRecord.currentStage], createdDate: now)
                secret.add(version)
                output["VersionId"] = .string(version.id)
            }
            try store.save(secret)
            return .object(output)
        }
    }

    /// GetSecretValue: the version named by VersionId and/or VersionStage (AWSCURRENT by default).
    func getSecretValue(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        let id = try SecretInput.secretID(members)
        let now = self.now
        let versionID = try members.optionalString("VersionId")
        let stage = try members.optionalString("VersionStage")
        let today = (now / 86_400).rounded(.down) * 86_400
        return try transaction { store in
            var secret: SecretRecord
            let version: SecretVersion
            if let versionID {
                secret = try store.liveSecret(id: id)
                guard let found = secret.version(id: versionID) else {
                    throw SecretsManagerError.valueNotFound("VersionId: \(versionID)")
                }
                if let stage, !found.stages.contains(stage) {
                    throw SecretsManagerError.invalidRequest("You provided a VersionStage that is not associated to the provided VersionId.")
                }
                version = found
            } else {
                (secret, version) = try store.stagedVersion(id: id, stage: stage ?? SecretRecord.currentStage)
            }
            // AWS keeps the day of the last read (DescribeSecret's LastAccessedDate); written
            // once a day at most.
            if secret.lastAccessedDate != today {
                secret.lastAccessedDate = today
                try store.save(secret)
            }
            return SecretRendering.value(secret, version)
        }
    }

    /// PutSecretValue: a new version, AWSCURRENT unless VersionStages says otherwise (the
    /// secret's first version is AWSCURRENT whatever it says, as AWS makes it). A retry
    /// with the same ClientRequestToken and value changes nothing; with another value it is a
    /// ResourceExistsException, as AWS answers.
    func putSecretValue(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        let id = try SecretInput.secretID(members)
        let token = try SecretInput.clientRequestToken(members)
        guard let value = try SecretInput.value(members) else {
            throw SecretsManagerError.invalidParameter("You must provide either SecretString or SecretBinary.")
        }
        let stages = try SecretInput.versionStages(members) ?? [SecretRecord.currentStage]
        let now = self.now
        return try transaction { store in
            var secret = try store.liveSecret(id: id)
            if let retried = try Self.retriedVersion(of: secret, token: token, value: value) {
                return Self.putOutput(secret, retried)
            }
            let first = secret.version(stage: SecretRecord.currentStage) == nil
            let version = SecretVersion(id: token ?? UUID().uuidString.lowercased(), secretString: value.string,
                                        secretBinary: value.binary,
                                        stages: first && !stages.contains(SecretRecord.currentStage) ? stages + [SecretRecord.currentStage] : stages,
                                        createdDate: now)
            secret.add(version)
            secret.lastChangedDate = now
            try store.save(secret)
            return Self.putOutput(secret, version)
        }
    }

    /// The version of `secret` an earlier request with ClientRequestToken `token` made, when
    /// this request is its retry: nil when no version has that id (or there is no token), a
    /// ResourceExistsException when one has it with another value (a version never changes).
    private static func retriedVersion(
        of secret: SecretRecord, token: String?, value: (string: String?, binary: String?)
    ) throws(AWSServiceError) -> SecretVersion? {
        guard let token, let existing = secret.version(id: token) else { return nil }
        guard existing.holdsValue(string: value.string, binary: value.binary) else {
            throw SecretsManagerError.exists("You can't modify an existing version, you can only create a new version.")
        }
        return existing
    }

    private static func putOutput(_ secret: SecretRecord, _ version: SecretVersion) -> JSONValue {
        .object([
            "ARN": .string(secret.arn), "Name": .string(secret.name), "VersionId": .string(version.id),
            "VersionStages": .strings(secret.version(id: version.id)?.stages ?? version.stages),
        ])
    }
}
