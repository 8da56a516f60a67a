/// What the service operations and the service controller ask of the load balancer: whether a
/// target group exists (CreateService / UpdateService validate `loadBalancers`) and how a
/// registered task target is doing (the controller replaces tasks that fail health checks).
/// Implemented by ``LBTargetRegistrar`` for the built-in load balancer.
public protocol TargetGroupCatalog: Sendable {
    /// Whether a target group with this ARN (or name) exists.
    func targetGroupExists(_ reference: String) -> Bool
    /// The health of `target` in its group, nil when it is not registered there.
    func health(of target: LoadBalancerTarget) -> LoadBalancerTargetHealth?
}

/// A target's state in its group, in ELBv2's words.
public struct LoadBalancerTargetHealth: Sendable, Equatable {
    /// `initial`, `healthy`, `unhealthy`, `unused`, `draining` or `unavailable`.
    public var state: String
    /// ELBv2's reason code (`Target.FailedHealthChecks`, ...), if any.
    public var reason: String?

    public init(state: String, reason: String?) {
        self.state = state
        self.reason = reason
    }
}

/// Told by ``ECSAPI`` when a transaction that created, changed or deleted a service has
/// committed, so the service controller acts at once instead of at its next pass. Must return
/// quickly: it is called on the API's request path.
public protocol ServiceDesiredStateObserver: Sendable {
    func serviceChanged(arn: String)
}
