/// One scaling activity: a change the controller made (or tried to) and why, in
/// DescribeScalingActivities' shape.
public struct ScalingActivity: Codable, Sendable, Hashable {
    /// AWS's activity status codes.
    public enum Status: String, Codable, Sendable, Hashable {
        case pending = "Pending"
        case inProgress = "InProgress"
        case successful = "Successful"
        case overridden = "Overridden"
        case unfulfilled = "Unfulfilled"
        case failed = "Failed"
    }

    public var activityID: String
    public var resourceID: String
    /// e.g. `Setting desired count to 16.`
    public var description: String
    /// e.g. `monitor alarm TargetTracking-service/default/web-AlarmHigh-... in state ALARM triggered policy web-requests`.
    public var cause: String
    public var status: Status
    public var statusMessage: String?
    /// Seconds since the epoch.
    public var startTime: Double
    public var endTime: Double?
    /// What the policy measured (value, window, counts), as text.
    public var details: String?

    public init(
        activityID: String, resourceID: String, description: String, cause: String, status: Status,
        statusMessage: String? = nil, startTime: Double, endTime: Double? = nil, details: String? = nil
    ) {
        self.activityID = activityID
        self.resourceID = resourceID
        self.description = description
        self.cause = cause
        self.status = status
        self.statusMessage = statusMessage
        self.startTime = startTime
        self.endTime = endTime
        self.details = details
    }
}
