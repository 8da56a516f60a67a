import AWSProtocol
import Foundation

extension SecretsManagerAPI {
    /// CreateSecret: a new secret, with a first version (AWSCURRENT) when a value is given.
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
                throw SecretsManagerError.exists("The operation failed because the secret \(name) already exists.")
            }
            var secret = SecretRecord(name: name, arn: arn, description: description, tags: tags, createdDate: now,
                                      lastChangedDate: now, deletedDate: nil, deletionDate: nil, versions: [])
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
        let versionID = try members.optionalString("VersionId")
        let stage = try members.optionalString("VersionStage")
        return try transaction { store in
            let secret = try store.secret(id: id)
            guard !secret.isMarkedForDeletion else { throw SecretsManagerError.markedForDeletion }
            let version: SecretVersion
            if let versionID {
                guard let found = secret.version(id: versionID), stage.map({ found.stages.contains($0) }) ?? true else {
                    throw SecretsManagerError.valueNotFound("VersionId: \(versionID)")
                }
                version = found
            } else {
                let label = stage ?? SecretRecord.currentStage
                guard let found = secret.version(stage: label) else {
                    throw SecretsManagerError.valueNotFound("staging label: \(label)")
                }
                version = found
            }
            return SecretRendering.value(secret, version)
        }
    }

    /// PutSecretValue: a new version, AWSCURRENT unless VersionStages says otherwise. A retry
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
            var secret = try store.secret(id: id)
            guard !secret.isMarkedForDeletion else { throw SecretsManagerError.markedForDeletion }
            let version = SecretVersion(id: token ?? UUID().uuidString.lowercased(), secretString: value.string,
                                        secretBinary: value.binary, stages: stages, createdDate: now)
            if let existing = secret.version(id: version.id) {
                guard existing.holdsSameValue(as: version) else {
                    throw SecretsManagerError.exists("You can't modify an existing version, you can only create a new version.")
                }
                return Self.putOutput(secret, existing)
            }
            secret.add(version)
            secret.lastChangedDate = now
            try store.save(secret)
            return Self.putOutput(secret, version)
        }
    }

    private static func putOutput(_ secret: SecretRecord, _ version: SecretVersion) -> JSONValue {
        .object([
            "ARN": .string(secret.arn), "Name": .string(secret.name), "VersionId": .string(version.id),
            "VersionStages": .strings(secret.version(id: version.id)?.stages ?? version.stages),
        ])
    }
}
