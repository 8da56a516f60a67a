/// A document that belongs to one scalable target under a name unique within it: scaling
/// policies and scheduled actions, whose tables have the same shape
/// (`arn` primary key, `resource_id`, `name`, `document`, unique `(resource_id, name)`), so one
/// set of ``AutoScalingStore`` methods serves both.
protocol TargetScopedRecord: Codable, Sendable {
    /// The table the records live in.
    static var table: String { get }
    var arn: String { get }
    var name: String { get }
    var resourceID: String { get }
}

extension ScalingPolicyRecord: TargetScopedRecord {
    static let table = "autoscaling_policies"
}

extension ScheduledActionRecord: TargetScopedRecord {
    static let table = "autoscaling_scheduled_actions"
}
