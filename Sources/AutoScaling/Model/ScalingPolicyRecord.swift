/// A scaling policy as stored: its identity and its configuration as the API took it (a JSON
/// object, re-read into ``Autoscaler/ScalingPolicy`` by ``PolicyConfigurationCoding``).
struct ScalingPolicyRecord: Codable, Sendable, Hashable {
    struct Alarm: Codable, Sendable, Hashable {
        var name: String
        var arn: String
    }

    var arn: String
    var name: String
    var resourceID: String
    /// `TargetTrackingScaling` or `StepScaling`.
    var policyType: String
    /// The configuration member's JSON text.
    var configuration: String
    var alarms: [Alarm]
    var creationTime: Double
}
