/// Wharf's scaling policies as pure logic: per-second metric readings and capacity counts in,
/// scaling decisions out, with no I/O and no clock of its own (every call is given the time),
/// so the policies are tested on a fake clock.
///
/// - ``TargetScaler`` combines the policies of one scalable target: scale out if any policy
///   asks, scale in only if every policy that has an opinion agrees.
/// - ``TargetTrackingEvaluator`` keeps a metric at its target value: fast, proportional
///   scale-out; scale-in only after a stabilization window (``TargetTrackingTuning``).
/// - ``StepScalingEvaluator`` applies AWS's step adjustments when its alarm breaches.
/// - ``ScheduleExpression`` parses `at()`, `rate()` and `cron()` and finds when they fire.
public enum Autoscaler {
    /// The longest per-second history an evaluator keeps (one hour), whatever its windows say.
    public static let maximumHistorySeconds = 3600
}
