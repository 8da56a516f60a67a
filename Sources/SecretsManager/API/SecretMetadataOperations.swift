import AWSProtocol
import Foundation

extension SecretsManagerAPI {
    /// ListSecrets' page sizes: MaxResults 1...100, all of them when not given.
    static let maximumListResults = 100
    /// DeleteSecret's recovery window, in days, and its default.
    static let recoveryWindowDays = 7...30
    static let defaultRecoveryWindowDays = 30
    /// ListSecrets filter keys served (AWS's others name replication and owning services).
    static let filterKeys = SecretFilter.Field.allCases.map(\.rawValue)

    /// DescribeSecret: metadata, versions and tags (never the value); answers for a secret
    /// marked for deletion too, with its DeletedDate.
    func describeSecret(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        let id = try SecretInput.secretID(members)
        return try transaction { store in
            SecretRendering.metadata(try store.secret(id: id), versionMember: "VersionIdsToStages")
        }
    }

    /// ListSecrets: by CreatedDate unless SortBy names `name`, `last-changed-date` or
    /// `last-accessed-date` (ties by name; SortOrder `asc`, the default, or `desc`), paginated
    /// with keyset tokens on the sort value and the name; secrets marked for deletion only with
    /// IncludePlannedDeletion.
    func listSecrets(_ members: JSONMembers) throws(AWSServiceError) -> JSONValue {
        let size = try members.optionalInt("MaxResults", range: 1...Self.maximumListResults, message:
            "MaxResults must be between 1 and \(Self.maximumListResults).") ?? Self.maximumListResults
        let token = try members.optionalString("NextToken")
        let page: PageRequest
        do {
            page = try PageRequest(operation: "ListSecrets", size: size, nextToken: token, keyCount: 2)
        } catch {
            throw SecretsManagerError.invalidNextToken("ListSecrets")
        }
        let includeDeleted = try members.optionalBool("IncludePlannedDeletion") ?? false
        let descending = try members.optionalEnum("SortOrder", allowed: ["asc", "desc"]) == "desc"
        let sortBy = try members.optionalEnum("SortBy", allowed: SecretSortKey.allCases.map(\.rawValue))
            .flatMap(SecretSortKey.init(rawValue:)) ?? .createdDate
        let filters = try Self.filters(members)
        return try transaction { store in
            var secrets = try store.allSecrets().filter { secret in
                (includeDeleted || !secret.isMarkedForDeletion) && filters.allSatisfy { $0.matches(secret) }
            }
            secrets.sort { sortBy.position(of: $0) < sortBy.position(of: $1) }
            if descending { secrets.reverse() }
            if let after = page.after {
                guard let last = SecretSortKey.position(token: after) else { throw SecretsManagerError.invalidNextToken("ListSecrets") }
                secrets.removeAll { descending ? sortBy.position(of: $0) >= last : sortBy.position(of: $0) <= last }
            }
            let (items, next) = page.page(Array(secrets.prefix(page.fetchLimit)), key: sortBy.token(of:))
            var output: [String: JSONValue] = [
                "SecretList": .array(items.map { SecretRendering.metadata($0, versionMember: "SecretVersionsToStages") }),
            ]
            if let next { output["NextToken"] = .string(next) }
            return .object(output)
        }
    }

    /// DeleteSecret: immediately (ForceDeleteWithoutRecovery) or after a recovery window of 7
    /// to 30 days, during which the secret is refused by GetSecretValue and PutSecretValue.
    ///
    /// Forcing the deletion of a secret that does not exist succeeds: "If you forcibly delete an
    /// already deleted or nonexistent secret, the operation does not return
    /// ResourceNotFoundException."
    func deleteSecret(_ members: JSONMembers, region: String) throws(AWSServiceError) -> JSONValue {
        let id = try SecretInput.secretID(members)
        let force = try members.optionalBool("ForceDeleteWithoutRecovery") ?? false
        let window = try members.optionalInt("RecoveryWindowInDays")
        if force, window != nil {
            throw SecretsManagerError.invalidParameter(
                "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
        }
        if let window, !Self.recoveryWindowDays.contains(window) {
            throw SecretsManagerError.invalidParameter("The RecoveryWindowInDays value must be between "
                + "\(Self.recoveryWindowDays.lowerBound) and \(Self.recoveryWindowDays.upperBound) days (inclusive).")
        }
        let now = self.now
        return try transaction { store in
            // One lookup: a forced delete of a secret that is not there succeeds, as in AWS.
            guard var secret = try store.secretIfAny(id: id) else {
                guard force else { throw SecretsManagerError.secretNotFound }
                let resource = SecretARN.resource(of: id)
                let name = resource ?? id
                let arn = resource != nil ? id : SecretARN.make(name: name, region: region, accountID: self.accountID)
                return .object(["ARN": .string(arn), "Name": .string(name), "DeletionDate": SecretRendering.time(now)])
            }
            let deletionDate: Double
            if force {
                try store.delete(named: secret.name)
                deletionDate = now
            } else {
                guard !secret.isMarkedForDeletion else {
                    throw SecretsManagerError.invalidRequest(
                        "You can't perform this operation on the secret because it was already scheduled for deletion.")
                }
                deletionDate = now + Double(window ?? Self.defaultRecoveryWindowDays) * 86_400
                secret.deletedDate = now
                secret.deletionDate = deletionDate
                try store.save(secret)
            }
            return .object([
                "ARN": .string(secret.arn), "Name": .string(secret.name), "DeletionDate": SecretRendering.time(deletionDate),
            ])
        }
    }

    /// ListSecrets' `Filters`: each a key and up to ten values, a secret matching when any value
    /// is a prefix of the field (a value starting with `!` negates), as AWS filters.
    static func filters(_ members: JSONMembers) throws(AWSServiceError) -> [SecretFilter] {
        guard let list = try members.optionalObjectList("Filters") else { return [] }
        guard list.count <= 10 else { throw SecretsManagerError.validation("At most 10 filters may be given.") }
        var filters: [SecretFilter] = []
        for filter in list {
            let key = try filter.requiredString("Key")
            guard let field = SecretFilter.Field(rawValue: key) else {
                throw SecretsManagerError.invalidParameter(
                    "Filter key '\(key)' is not supported; use one of \(filterKeys.joined(separator: ", ")).")
            }
            let values = try filter.requiredStringList("Values", count: 1...10)
            filters.append(SecretFilter(field: field, values: values))
        }
        return filters
    }
}
