/// The state of one step-scaling policy: its alarm's per-second values and its cooldown.
public struct StepScalingEvaluator: Sendable {
    public let policyName: String
    public private(set) var configuration: StepScalingConfiguration
    private var window: SampleWindow<Double>
    private var lastScaling: Instant?

    public init(policyName: String, configuration: StepScalingConfiguration) {
        self.policyName = policyName
        self.configuration = configuration
        let seconds = configuration.alarm?.evaluationSeconds ?? StepScalingAlarm.defaultEvaluationSeconds
        self.window = SampleWindow(retentionSeconds: Double(min(seconds + 1, Autoscaler.maximumHistorySeconds)))
    }

    /// Adopts a changed configuration; history is kept when the alarm is unchanged.
    public mutating func reconfigure(_ configuration: StepScalingConfiguration) {
        guard configuration != self.configuration else { return }
        let keepHistory = configuration.alarm == self.configuration.alarm
        let last = lastScaling
        let history = window
        self = StepScalingEvaluator(policyName: policyName, configuration: configuration)
        lastScaling = last
        if keepHistory { window = history }
    }

    /// Records one second's raw reading of the alarm's metric (nil: no reading).
    public mutating func observe(raw: Double?, healthy: Int, at time: Instant) {
        guard let alarm = configuration.alarm, let raw,
              let value = alarm.metric.perTargetValue(raw: raw, healthy: healthy) else { return }
        window.append(value, at: time)
    }

    /// What this policy asks for now: nothing unless its alarm is breached; while breached
    /// and cooling down it blocks scale-in by others but changes nothing itself.
    public func recommend(at now: Instant, capacity: CapacitySnapshot) -> PolicyRecommendation {
        guard let alarm = configuration.alarm else { return .noOpinion }
        let samples = window.samples(inLast: Double(alarm.evaluationSeconds), before: now).map(\.sample)
        guard samples.count >= alarm.evaluationSeconds,
              let value = configuration.metricAggregationType.aggregate(samples),
              alarm.comparison.breaches(value, alarm.threshold)
        else { return .noOpinion }
        if let lastScaling, now.seconds(since: lastScaling) < configuration.cooldownSeconds { return .hold }
        guard let step = configuration.step(for: value - alarm.threshold) else { return .hold }
        let count = configuration.newCapacity(applying: step, to: capacity.desired)
        let reason = ScalingReason(
            policyName: policyName, metric: alarm.metric, alarm: alarm.comparison.isHigh ? .high : .low,
            observedValue: value, threshold: alarm.threshold,
            evidence: "\(configuration.metricAggregationType.rawValue.lowercased()) of the last \(alarm.evaluationSeconds) s")
        if count > capacity.desired { return .scaleOut(to: count, reason) }
        if count < capacity.desired { return .scaleIn(to: count, reason) }
        return .hold
    }

    /// Notes that a change this policy took part in was applied at `time` (starts its cooldown).
    public mutating func recordScaling(at time: Instant) {
        lastScaling = time
    }
}
