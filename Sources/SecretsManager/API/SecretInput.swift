import AWSProtocol
import Foundation

/// Reading and checking the members the operations share, against the limits of Secrets
/// Manager's API model (botocore's `secretsmanager` service-2.json).
enum SecretInput {
    static let nameLength = 1...512
    static let secretIDLength = 1...2048
    static let descriptionLength = 0...2048
    /// SecretString and decoded SecretBinary, in bytes.
    static let valueLength = 1...65536
    static let clientRequestTokenLength = 32...64
    static let versionStageLength = 1...256
    static let versionStagesCount = 1...20
    static let tagKeyLength = 1...128
    static let tagValueLength = 0...256
    static let tagsPerSecret = 50
    /// Characters a secret name may hold besides ASCII letters and digits.
    static let nameSymbols: Set<Character> = ["/", "_", "+", "=", ".", "@", "-", "!"]

    static func name(_ members: JSONMembers) throws(AWSServiceError) -> String {
        let name = try members.requiredString("Name")
        guard nameLength.contains(name.utf8.count), isValidName(name) else { throw invalidName }
        return name
    }

    /// AWS's answer to a name (or a SecretId that is not an ARN) with characters a name can't have.
    static let invalidName = SecretsManagerError.validation(
        "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!")

    static func isValidName(_ name: String) -> Bool {
        name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || nameSymbols.contains($0) }
    }

    static func secretID(_ members: JSONMembers) throws(AWSServiceError) -> String {
        let id = try members.requiredString("SecretId", message: "You must provide a SecretId.")
        guard secretIDLength.contains(id.utf8.count) else {
            throw SecretsManagerError.validation("1 validation error detected: Value at 'secretId' failed to satisfy constraint: "
                + "Member must have length less than or equal to \(secretIDLength.upperBound)")
        }
        // A name (not an ARN) that no secret could have is refused as CreateSecret would refuse it.
        if SecretARN.resource(of: id) == nil, !isValidName(id) { throw invalidName }
        return id
    }

    static func description(_ members: JSONMembers) throws(AWSServiceError) -> String? {
        guard let text = try members.optionalString("Description") else { return nil }
        guard descriptionLength.contains(text.utf8.count) else {
            throw SecretsManagerError.validation("Description must be at most \(descriptionLength.upperBound) characters.")
        }
        return text
    }

    static func clientRequestToken(_ members: JSONMembers) throws(AWSServiceError) -> String? {
        guard let token = try members.optionalString("ClientRequestToken") else { return nil }
        guard clientRequestTokenLength.contains(token.utf8.count) else {
            throw SecretsManagerError.validation("ClientRequestToken must be between \(clientRequestTokenLength.lowerBound) and "
                + "\(clientRequestTokenLength.upperBound) characters.")
        }
        return token
    }

    /// The value of CreateSecret or PutSecretValue: SecretString or SecretBinary (base64 on
    /// the wire, kept as sent once checked), not both; nil when neither is given.
    static func value(_ members: JSONMembers) throws(AWSServiceError) -> (string: String?, binary: String?)? {
        let string = try members.optionalString("SecretString")
        let binary = try members.optionalString("SecretBinary")
        if string != nil, binary != nil {
            throw SecretsManagerError.invalidParameter(
                "You can't specify both a binary secret value and a string value in the same secret.")
        }
        if let string {
            guard valueLength.contains(string.utf8.count) else {
                throw SecretsManagerError.validation("SecretString must be between \(valueLength.lowerBound) and "
                    + "\(valueLength.upperBound) bytes.")
            }
            return (string, nil)
        }
        if let binary {
            guard let bytes = Data(base64Encoded: binary), valueLength.contains(bytes.count) else {
                throw SecretsManagerError.validation("SecretBinary must be base64 of between \(valueLength.lowerBound) and "
                    + "\(valueLength.upperBound) bytes.")
            }
            return (nil, binary)
        }
        return nil
    }

    static func versionStages(_ members: JSONMembers) throws(AWSServiceError) -> [String]? {
        guard let stages = try members.optionalStringList("VersionStages") else { return nil }
        guard versionStagesCount.contains(stages.count) else {
            throw SecretsManagerError.validation("VersionStages must have between \(versionStagesCount.lowerBound) and "
                + "\(versionStagesCount.upperBound) items.")
        }
        for stage in stages where !versionStageLength.contains(stage.utf8.count) {
            throw SecretsManagerError.validation("Each of VersionStages must be between \(versionStageLength.lowerBound) and "
                + "\(versionStageLength.upperBound) characters.")
        }
        var unique: [String] = []
        for stage in stages where !unique.contains(stage) { unique.append(stage) }
        return unique
    }

    static func tags(_ members: JSONMembers) throws(AWSServiceError) -> [SecretTag] {
        guard let list = try members.optionalObjectList("Tags") else { return [] }
        guard list.count <= tagsPerSecret else {
            throw SecretsManagerError.limitExceeded("A secret can have at most \(tagsPerSecret) tags.")
        }
        var tags: [SecretTag] = []
        for tag in list {
            let key = try tag.requiredString("Key")
            let value = try tag.optionalString("Value") ?? ""
            guard tagKeyLength.contains(key.utf8.count), tagValueLength.contains(value.utf8.count) else {
                throw SecretsManagerError.validation("Tag keys must be between \(tagKeyLength.lowerBound) and "
                    + "\(tagKeyLength.upperBound) characters and values at most \(tagValueLength.upperBound).")
            }
            guard !key.hasPrefix("aws:") else {
                throw SecretsManagerError.invalidParameter("Tag keys starting with 'aws:' are reserved for AWS use.")
            }
            guard !tags.contains(where: { $0.key == key }) else {
                throw SecretsManagerError.invalidParameter("The tag key '\(key)' appears more than once.")
            }
            tags.append(SecretTag(key: key, value: value))
        }
        return tags
    }
}
