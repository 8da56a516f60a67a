import Autoscaler
import Foundation

/// Per-second measurements the scaling loop reads every tick, as the control plane exposes
/// them from the load balancer's counters and the tasks' cgroups.
public protocol ScalingMetricSource: Sendable {
    /// The last second's raw reading of `metric` for `service`, in the units
    /// ``Autoscaler/ScalingMetric`` documents: requests per second and open connections summed
    /// over the target group (``TargetGroupReference`` parses the metric's resource label),
    /// CPU and memory utilization in percent averaged over the service's running tasks,
    /// target response time in seconds. Nil when there is no reading (an unknown target
    /// group, no tasks): the policy skips that second.
    func reading(of metric: ScalingMetric, for service: ECSServiceReference, at time: Date) -> Double?
}

/// A target group as a metric's resource label names it:
/// `app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>`.
public struct TargetGroupReference: Sendable, Hashable {
    public let loadBalancerName: String
    public let loadBalancerID: String
    public let targetGroupName: String
    public let targetGroupID: String

    public init(loadBalancerName: String, loadBalancerID: String, targetGroupName: String, targetGroupID: String) {
        self.loadBalancerName = loadBalancerName
        self.loadBalancerID = loadBalancerID
        self.targetGroupName = targetGroupName
        self.targetGroupID = targetGroupID
    }

    /// Parses a resource label; nil when it does not have the six parts above.
    public init?(resourceLabel: String) {
        let parts = resourceLabel.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "app", parts[3] == "targetgroup", !parts.contains(where: \.isEmpty) else { return nil }
        self.init(loadBalancerName: parts[1], loadBalancerID: parts[2], targetGroupName: parts[4], targetGroupID: parts[5])
    }

    /// The target group's ARN as the control plane writes it:
    /// `arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID`.
    public func targetGroupARN(region: String, accountID: String) -> String {
        "arn:aws:elasticloadbalancing:\(region):\(accountID):targetgroup/\(targetGroupName)/\(targetGroupID)"
    }

    /// The label back: `app/LB/LBID/targetgroup/TG/TGID`.
    public var resourceLabel: String {
        "app/\(loadBalancerName)/\(loadBalancerID)/targetgroup/\(targetGroupName)/\(targetGroupID)"
    }
}
