/// The state of one target-tracking policy: its per-second history and its last changes.
///
/// Each second's reading becomes a *need*: the fractional task count that would bring the
/// metric to the target (``ScalingMetric/requiredCapacity(raw:healthy:targetValue:)``,
/// computed over healthy tasks only). Needs are compared with the current desired count,
/// which already includes capacity still starting, so a change is never asked for twice.
public struct TargetTrackingEvaluator: Sendable {
    struct Sample: Sendable {
        /// The per-target value (what AWS would chart).
        var value: Double
        /// The task count that value calls for.
        var need: Double
    }

    public let policyName: String
    public private(set) var configuration: TargetTrackingConfiguration
    private var window: SampleWindow<Sample>
    private var lastScaleOut: Instant?
    private var lastScaleIn: Instant?
    /// Scale-out evidence counts only from here: the last scale-in by any policy, after which
    /// earlier (higher) needs describe load that has gone.
    private var evidenceStart: Instant?

    public init(policyName: String, configuration: TargetTrackingConfiguration) {
        self.policyName = policyName
        self.configuration = configuration
        let tuning = configuration.tuning
        let retention = max(tuning.fastWindowSeconds, tuning.sustainedWindowSeconds, tuning.scaleInStabilizationSeconds) + 1
        self.window = SampleWindow(retentionSeconds: Double(min(retention, Autoscaler.maximumHistorySeconds)))
    }

    /// Adopts a changed configuration; the history is kept when the metric is the same.
    public mutating func reconfigure(_ configuration: TargetTrackingConfiguration) {
        guard configuration != self.configuration else { return }
        let keepHistory = configuration.metric == self.configuration.metric && configuration.tuning == self.configuration.tuning
        let kept = (lastScaleOut, lastScaleIn, evidenceStart)
        self = TargetTrackingEvaluator(policyName: policyName, configuration: configuration)
        (lastScaleOut, lastScaleIn, evidenceStart) = kept
        if !keepHistory { window.removeAll() }
    }

    /// Records one second's raw reading (nil: no reading, the second is skipped).
    public mutating func observe(raw: Double?, healthy: Int, at time: Instant) {
        guard let raw,
              let value = configuration.metric.perTargetValue(raw: raw, healthy: healthy),
              let need = configuration.metric.requiredCapacity(raw: raw, healthy: healthy, targetValue: configuration.targetValue)
        else { return }
        window.append(Sample(value: value, need: need), at: time)
    }

    /// What this policy asks for now, given the target's capacity.
    public func recommend(at now: Instant, capacity: CapacitySnapshot) -> PolicyRecommendation {
        if let scaleOut = scaleOutRecommendation(at: now, desired: capacity.desired) { return scaleOut }
        if let lastScaleOut, now.seconds(since: lastScaleOut) < configuration.scaleOutCooldownSeconds { return .hold }
        if configuration.disableScaleIn { return .noOpinion }
        return scaleInRecommendation(at: now, capacity: capacity)
    }

    /// Notes that a change this policy took part in was applied at `time` (starts a cooldown).
    public mutating func recordScaling(_ direction: ScalingDirection, at time: Instant) {
        switch direction {
        case .scaleOut: lastScaleOut = time
        case .scaleIn: lastScaleIn = time
        }
    }

    /// Notes that the target scaled in at `time` (whichever policies asked): scale-out
    /// evidence from before then no longer counts.
    public mutating func noteScaleIn(at time: Instant) {
        evidenceStart = time
    }

    /// The samples of the last `seconds` that count as scale-out evidence.
    private func evidence(inLast seconds: Int, before now: Instant) -> [(time: Instant, sample: Sample)] {
        let samples = window.samples(inLast: Double(seconds), before: now)
        guard let evidenceStart else { return samples }
        return samples.filter { $0.time > evidenceStart }
    }

    private func scaleOutRecommendation(at now: Instant, desired: Int) -> PolicyRecommendation? {
        if let lastScaleOut, now.seconds(since: lastScaleOut) < configuration.scaleOutCooldownSeconds { return nil }
        let tuning = configuration.tuning

        let fast = evidence(inLast: tuning.fastWindowSeconds, before: now)
        if fast.count >= tuning.requiredSamples(tuning.fastWindowSeconds),
           let need = fast.map(\.sample.need).median, let value = fast.map(\.sample.value).median,
           need > Double(desired) * (1 + tuning.fastTolerance), Self.tasks(for: need) > desired
        {
            return .scaleOut(to: Self.tasks(for: need), reason(.high, value, "median of the last \(tuning.fastWindowSeconds) s"))
        }

        let sustained = evidence(inLast: tuning.sustainedWindowSeconds, before: now)
        if sustained.count >= tuning.requiredSamples(tuning.sustainedWindowSeconds),
           let need = sustained.map(\.sample.need).median, let value = sustained.map(\.sample.value).median,
           need > Double(desired) * (1 + tuning.sustainedTolerance), Self.tasks(for: need) > desired
        {
            return .scaleOut(to: Self.tasks(for: need), reason(.high, value, "median of the last \(tuning.sustainedWindowSeconds) s"))
        }
        return nil
    }

    private func scaleInRecommendation(at now: Instant, capacity: CapacitySnapshot) -> PolicyRecommendation {
        if let lastScaleIn, now.seconds(since: lastScaleIn) < configuration.scaleInCooldownSeconds { return .hold }
        // Capacity from the last change still arriving: its effect is not measured yet.
        guard capacity.isSettled, capacity.desired > 0 else { return .hold }
        let tuning = configuration.tuning
        let seconds = tuning.scaleInStabilizationSeconds
        guard let oldest = window.oldestTime, now.seconds(since: oldest) >= Double(seconds - 1) else { return .hold }
        let stable = window.samples(inLast: Double(seconds), before: now)
        guard stable.count >= tuning.requiredSamples(seconds) else { return .hold }
        let ceiling = Double(capacity.desired) * (1 - tuning.scaleInTolerance)
        guard let largestNeed = stable.map(\.sample.need).max(), largestNeed < ceiling,
              let value = stable.map(\.sample.value).max()
        else { return .hold }
        let count = Self.tasks(for: largestNeed)
        guard count < capacity.desired else { return .hold }
        return .scaleIn(to: count, reason(.low, value, "highest of the last \(seconds) s"))
    }

    private func reason(_ alarm: ScalingReason.AlarmSide, _ value: Double, _ evidence: String) -> ScalingReason {
        ScalingReason(
            policyName: policyName, metric: configuration.metric, alarm: alarm,
            observedValue: value, threshold: configuration.targetValue, evidence: evidence)
    }

    /// Whole tasks for a fractional need (a hair of rounding error does not add a task).
    static func tasks(for need: Double) -> Int {
        guard need.isFinite, need > 0 else { return 0 }
        return Int((min(need, 1e9) - 1e-9).rounded(.up))
    }
}
