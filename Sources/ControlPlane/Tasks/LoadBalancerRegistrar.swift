/// Puts tasks into and takes them out of load balancer target groups: the ACTIVATING and
/// DEACTIVATING phases of a task that has `loadBalancers`. Implemented by whoever owns the load
/// balancer (the LB module's target registry); a task without `loadBalancers` never calls it.
///
/// Both calls must be idempotent: after a crash the reconciler repeats the phase it was in.
public protocol LoadBalancerRegistrar: Sendable {
    /// Registers `target` (the task's address and port) in its target group. Returns once the
    /// target is registered (it may still be in its initial health check).
    func register(_ target: LoadBalancerTarget) async throws(LoadBalancerRegistrationError)

    /// Deregisters `target` and returns once its draining is over (the target group's
    /// deregistration delay, or sooner when its connections have closed). Deregistering a target
    /// that is not registered returns at once.
    func deregister(_ target: LoadBalancerTarget) async throws(LoadBalancerRegistrationError)
}

/// One task container port in one target group.
public struct LoadBalancerTarget: Sendable, Equatable, Hashable, Codable {
    /// The target group's ARN (Application/Network Load Balancer), if the service named one.
    public var targetGroupArn: String?
    /// The classic load balancer's name, if the service named one instead.
    public var loadBalancerName: String?
    /// The task's IPv4 address.
    public var address: String
    /// The port traffic goes to: the container port (awsvpc), or its host port (host mode).
    public var port: Int
    public var taskArn: String
    public var containerName: String

    public init(targetGroupArn: String?, loadBalancerName: String?, address: String, port: Int, taskArn: String,
                containerName: String) {
        self.targetGroupArn = targetGroupArn
        self.loadBalancerName = loadBalancerName
        self.address = address
        self.port = port
        self.taskArn = taskArn
        self.containerName = containerName
    }

    /// The target group (ARN or name) for messages.
    public var targetGroup: String { targetGroupArn ?? loadBalancerName ?? "-" }
}

/// Why a target could not be registered or deregistered.
public enum LoadBalancerRegistrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No target group with this ARN or name.
    case targetGroupNotFound(String)
    /// The target was refused (e.g. an address outside the target group's network).
    case targetRefused(targetGroup: String, reason: String)
    /// The load balancer could not be reached or failed.
    case unavailable(String)

    public var description: String {
        switch self {
        case .targetGroupNotFound(let group): "target group \(group) not found"
        case .targetRefused(let group, let reason): "target refused by \(group): \(reason)"
        case .unavailable(let reason): "load balancer unavailable: \(reason)"
        }
    }
}
