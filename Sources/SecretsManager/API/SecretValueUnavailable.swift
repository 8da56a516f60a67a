/// Why ``SecretsStore/currentSecretString(_:now:)`` has no value to give: the exception
/// GetSecretValue would answer, as `Type: message`.
public struct SecretValueUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    /// The SecretId asked for.
    public var secretID: String
    /// AWS's exception name, e.g. `ResourceNotFoundException`.
    public var exception: String
    public var message: String

    public var description: String { "\(exception): \(message)" }
}
