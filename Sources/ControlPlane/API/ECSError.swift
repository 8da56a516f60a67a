/// An error the ECS API answers with: ECS's exception name (`type`, e.g. `ClusterNotFoundException`)
/// and a message in ECS's wording. The protocol layer turns it into the AWS JSON 1.1 error
/// envelope `{"__type": type, "message": message}` with ``httpStatusCode``.
public struct ECSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every exception the ECS API Reference defines, plus the two the AWS JSON protocol adds
    /// (`SerializationException` for a body that cannot be read, `UnknownOperationException` for
    /// an `X-Amz-Target` the service does not have).
    public enum Kind: String, Sendable, CaseIterable {
        case accessDeniedException = "AccessDeniedException"
        case attributeLimitExceededException = "AttributeLimitExceededException"
        case blockedException = "BlockedException"
        case clientException = "ClientException"
        case clusterContainsCapacityProviderException = "ClusterContainsCapacityProviderException"
        case clusterContainsContainerInstancesException = "ClusterContainsContainerInstancesException"
        case clusterContainsServicesException = "ClusterContainsServicesException"
        case clusterContainsTasksException = "ClusterContainsTasksException"
        case clusterNotFoundException = "ClusterNotFoundException"
        case conflictException = "ConflictException"
        case invalidParameterException = "InvalidParameterException"
        case limitExceededException = "LimitExceededException"
        case missingVersionException = "MissingVersionException"
        case namespaceNotFoundException = "NamespaceNotFoundException"
        case noUpdateAvailableException = "NoUpdateAvailableException"
        case platformTaskDefinitionIncompatibilityException = "PlatformTaskDefinitionIncompatibilityException"
        case platformUnknownException = "PlatformUnknownException"
        case resourceInUseException = "ResourceInUseException"
        case resourceNotFoundException = "ResourceNotFoundException"
        case serverException = "ServerException"
        case serviceDeploymentNotFoundException = "ServiceDeploymentNotFoundException"
        case serviceNotActiveException = "ServiceNotActiveException"
        case serviceNotFoundException = "ServiceNotFoundException"
        case targetNotConnectedException = "TargetNotConnectedException"
        case targetNotFoundException = "TargetNotFoundException"
        case taskSetNotFoundException = "TaskSetNotFoundException"
        case unsupportedFeatureException = "UnsupportedFeatureException"
        case updateInProgressException = "UpdateInProgressException"
        case serializationException = "SerializationException"
        case unknownOperationException = "UnknownOperationException"
    }

    public var kind: Kind
    public var message: String
    /// The resources the error concerns, for the exceptions that carry them (RunTask's
    /// `ConflictException`: the tasks its client token already started).
    public var resourceIds: [String]?

    public init(_ kind: Kind, _ message: String, resourceIds: [String]? = nil) {
        self.kind = kind
        self.message = message
        self.resourceIds = resourceIds
    }

    /// The exact ECS exception name, for the error envelope's `__type`.
    public var type: String { kind.rawValue }

    /// 500 for ``Kind/serverException`` (a fault of the service), 400 for everything else.
    public var httpStatusCode: Int { kind == .serverException ? 500 : 400 }

    public var description: String { "\(type): \(message)" }
}

// MARK: - The errors several operations share, in ECS's wording

extension ECSError {
    /// ECS's answer when a named cluster does not exist.
    static let clusterNotFound = ECSError(.clusterNotFoundException, "Cluster not found.")
    /// ECS's answer when a cluster exists but was deleted (INACTIVE) and the operation needs it active.
    static let clusterInactive = ECSError(.clusterNotFoundException, "The referenced cluster was inactive.")

    /// A required member is absent (or empty).
    static func missing(_ member: String, _ kind: Kind = .invalidParameterException) -> ECSError {
        ECSError(kind, "\(member) should not be null or empty.")
    }

    /// A member holds a value outside its enumeration.
    static func invalidEnum(_ member: String, _ value: String, allowed: [String]) -> ECSError {
        ECSError(.invalidParameterException,
                 "Invalid value '\(value)' for \(member). Valid values are: \(allowed.joined(separator: ", ")).")
    }

    /// The store failed underneath an operation.
    static func server(_ error: any Error) -> ECSError {
        ECSError(.serverException, "Service error: \(error)")
    }
}
