/// ECS's limits on a placement request (RunTask, CreateService, UpdateService).
public enum PlacementLimits {
    /// "You can specify a maximum of 5 strategy rules for each task."
    public static let maximumStrategies = 5
    /// "You can specify a maximum of 10 constraints for each task", counting the task
    /// definition's constraints together with the request's.
    public static let maximumConstraints = 10
    /// `PlacementConstraint.expression`: "maximum length of 2000".
    public static let maximumExpressionLength = 2000
    /// `PlacementStrategy.field`: "maximum length of 255".
    public static let maximumFieldLength = 255
}
