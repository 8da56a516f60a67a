/// A scalable target's capacity as its owner reports it at one instant.
///
/// Only healthy tasks carry load: a task that is running but not yet healthy in its target
/// group gets no requests, so metrics are averaged over ``healthy`` and capacity still
/// arriving (``desired`` above ``healthy``) is never asked for twice.
public struct CapacitySnapshot: Sendable, Hashable {
    /// The count last asked for (ECS's desiredCount).
    public var desired: Int
    /// Tasks running.
    public var running: Int
    /// Running tasks that are healthy in their target group (equal to ``running`` for a
    /// service behind no load balancer).
    public var healthy: Int

    public init(desired: Int, running: Int, healthy: Int) {
        self.desired = desired
        self.running = running
        self.healthy = healthy
    }

    /// Whether the last change has fully arrived: as many tasks running and healthy as desired.
    public var isSettled: Bool { running == desired && healthy >= desired }
}
