import AWSProtocol
import Foundation

/// A subset of AWS Secrets Manager (AWS JSON 1.1, target prefix `secretsmanager`, signing name
/// `secretsmanager`) over ``SecretsStore``: CreateSecret, GetSecretValue, PutSecretValue,
/// DescribeSecret, ListSecrets and DeleteSecret, with AWS's shapes and exception names.
///
/// Secrets are found by name, by full ARN, or by the ARN without its six random characters.
/// Each operation is one transaction and blocks on the store: the transport calls the router
/// on threads of its own, off any event loop and off Swift's cooperative pool.
public struct SecretsManagerAPI: Sendable {
    /// The operations served: the keys of the dispatch table.
    public static let operations: Set<String> = Set(handlers.keys)

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
        router.register(.secretsManager, api: self, memberErrorType: "InvalidParameterException", handlers: Self.handlers)
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
