/// One Application Auto Scaling activity, as `DescribeScalingActivities` reports it.
public struct DashboardScalingActivity: Sendable, Equatable, Codable {
    /// `service/CLUSTER/SERVICE`.
    public var resourceId: String
    public var activityId: String
    /// `Setting desired count to 4.`
    public var description: String
    /// Why (`monitor alarm ... in state ALARM triggered policy ...`).
    public var cause: String
    /// `Pending`, `InProgress`, `Successful`, `Overridden`, `Unfulfilled`, `Failed`.
    public var statusCode: String
    public var statusMessage: String?
    /// Unix seconds.
    public var startTime: Double
    public var endTime: Double?

    public init(
        resourceId: String, activityId: String, description: String, cause: String, statusCode: String,
        statusMessage: String? = nil, startTime: Double, endTime: Double? = nil
    ) {
        self.resourceId = resourceId
        self.activityId = activityId
        self.description = description
        self.cause = cause
        self.statusCode = statusCode
        self.statusMessage = statusMessage
        self.startTime = startTime
        self.endTime = endTime
    }
}
