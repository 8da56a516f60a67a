/// A container instance's `status` and the moves the API makes between them.
///
/// RegisterContainerInstance -> `ACTIVE`; UpdateContainerInstancesState moves `ACTIVE` <-> `DRAINING`;
/// DeregisterContainerInstance -> `INACTIVE`; registering again (same ARN) -> `ACTIVE`.
/// `REGISTERING`, `REGISTRATION_FAILED` and `DEREGISTERING` are ECS's trunk-ENI states; Wharf
/// defines them for completeness and never enters them.
public enum ECSContainerInstanceStatus: String, Codable, Sendable, CaseIterable {
    case registering = "REGISTERING"
    case registrationFailed = "REGISTRATION_FAILED"
    case active = "ACTIVE"
    case draining = "DRAINING"
    case deregistering = "DEREGISTERING"
    case inactive = "INACTIVE"

    /// The statuses UpdateContainerInstancesState may set.
    public static let settableByUpdate: Set<ECSContainerInstanceStatus> = [.active, .draining]

    /// Whether UpdateContainerInstancesState may move an instance from this status to `next`.
    /// ECS: "A container instance can only be updated to DRAINING status once it has reached an
    /// ACTIVE state"; instances in the transitional states can be described but not updated.
    public func canUpdate(to next: ECSContainerInstanceStatus) -> Bool {
        guard Self.settableByUpdate.contains(next) else { return false }
        return self == .active || self == .draining
    }

    /// Whether the instance is still registered (counted in `registeredContainerInstancesCount`,
    /// blocks DeleteCluster, listed by default).
    public var isRegistered: Bool { self != .inactive }
}
