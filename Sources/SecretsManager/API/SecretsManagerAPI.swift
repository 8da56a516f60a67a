import AWSProtocol
import Foundation

/// A subset of AWS Secrets Manager (AWS JSON 1.1, target prefix `secretsmanager`, signing name
/// `secretsmanager`) over ``SecretsStore``: CreateSecret, GetSecretValue, PutSecretValue,
/// DescribeSecret, ListSecrets and DeleteSecret, with AWS's shapes and exception names.
///
/// Secrets are found by name, by full ARN, or by the ARN without its six random characters.
/// Each operation is one transaction. ``handle(operation:input:region:)`` blocks on the store:
/// the router runs it in a task, off any event loop.
public struct SecretsManagerAPI: Sendable {
    /// The operations served.
    public static let operations: Set<String> = [
        "CreateSecret", "GetSecretValue", "PutSecretValue", "DescribeSecret", "ListSecrets", "DeleteSecret",
    ]

    let store: SecretsStore
    let accountID: String
    let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - store: the secrets (shared with the agent's ``SecretsStore/currentSecretString(_:)``).
    ///   - accountID: the account ARNs are built with.
    ///   - clock: the current time (creation, change and deletion dates).
    public init(store: SecretsStore, accountID: String, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.accountID = accountID
        self.clock = clock
    }

    /// Registers every operation on `router` for ``AWSProtocol/AWSService/secretsManager``.
    public func register(on router: inout AWSJSONRouter) {
        let api = self
        router.register(.secretsManager, operations: Self.operations) { operation, input, context throws(AWSServiceError) in
            try api.handle(operation: operation, input: input, region: context.identity.region)
        }
    }

    /// Runs `operation` on the request object `input` for a caller in `region`.
    public func handle(operation: String, input: JSONValue, region: String) throws(AWSServiceError) -> JSONValue {
        let members = try JSONMembers(input, errorType: "InvalidParameterException")
        switch operation {
        case "CreateSecret": return try createSecret(members, region: region)
        case "GetSecretValue": return try getSecretValue(members)
        case "PutSecretValue": return try putSecretValue(members)
        case "DescribeSecret": return try describeSecret(members)
        case "ListSecrets": return try listSecrets(members)
        case "DeleteSecret": return try deleteSecret(members)
        default: throw .unknownOperation()
        }
    }

    // MARK: Store access with this API's errors

    var now: Double { clock().timeIntervalSince1970 }

    func transaction<T>(_ body: (SecretsTransaction) throws -> T) throws(AWSServiceError) -> T {
        do {
            return try store.transaction(now: now, body)
        } catch {
            throw SecretsManagerError.from(error)
        }
    }
}
