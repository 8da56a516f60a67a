import Autoscaler

/// The ECS services Application Auto Scaling scales, as the control plane exposes them.
/// AutoScaling knows nothing else of ECS: the control plane implements this protocol.
///
/// Both methods may block (they read or write the control plane's store); they are called
/// from API handlers and from the controller's own thread, never from an event loop.
public protocol ECSServiceDirectory: Sendable {
    /// The service's current counts, or nil when no ACTIVE service has that name (registering
    /// a scalable target for it is then a ValidationException, as AWS answers).
    /// `healthy` counts running tasks that are healthy in the service's target group (all
    /// running tasks for a service behind no load balancer).
    func capacity(of service: ECSServiceReference) throws -> CapacitySnapshot?

    /// Sets the service's desired count, as UpdateService would; `cause` is the activity's
    /// cause text, for the service's events.
    func setDesiredCount(_ count: Int, of service: ECSServiceReference, cause: String) throws
}
