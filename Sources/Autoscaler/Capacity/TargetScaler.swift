/// Combines the policies of one scalable target into at most one change per evaluation.
///
/// Each second the owner calls ``evaluate(policies:readings:capacity:bounds:suspension:at:)``
/// with that second's readings. The rules:
/// 1. A desired count outside the bounds is brought inside them first.
/// 2. Scale out if any policy asks, to the largest count asked for.
/// 3. Otherwise scale in only if at least one policy asks and no policy holds (every policy
///    with an opinion agrees), to the largest count asked for.
/// 4. Counts are clamped to the bounds; a decision that changes nothing is none.
/// Suspended directions are skipped (their policies still observe).
public struct TargetScaler: Sendable {
    private var targetTracking: [String: TargetTrackingEvaluator] = [:]
    private var stepScaling: [String: StepScalingEvaluator] = [:]

    public init() {}

    /// Evaluates one second. `policies` is the target's current set (evaluators are created,
    /// reconfigured and dropped to match it); `readings` holds the second's raw readings.
    public mutating func evaluate(
        policies: [ScalingPolicy], readings: MetricReadings, capacity: CapacitySnapshot,
        bounds: CapacityBounds, suspension: ScalingSuspension = .none, at now: Instant
    ) -> ScalingDecision? {
        synchronize(with: policies)
        for name in targetTracking.keys {
            guard var evaluator = targetTracking[name] else { continue }
            evaluator.observe(raw: readings[evaluator.configuration.metric], healthy: capacity.healthy, at: now)
            targetTracking[name] = evaluator
        }
        for name in stepScaling.keys {
            guard var evaluator = stepScaling[name] else { continue }
            let metric = evaluator.configuration.alarm?.metric
            evaluator.observe(raw: metric.flatMap { readings[$0] }, healthy: capacity.healthy, at: now)
            stepScaling[name] = evaluator
        }

        let desired = capacity.desired
        if desired < bounds.minimum {
            return ScalingDecision(previousDesired: desired, newDesired: bounds.minimum, cause: .belowMinimum(bounds.minimum))
        }
        if desired > bounds.maximum {
            return ScalingDecision(previousDesired: desired, newDesired: bounds.maximum, cause: .aboveMaximum(bounds.maximum))
        }

        let recommendations = policies.map { (name: $0.name, recommendation: recommendation(of: $0.name, at: now, capacity: capacity)) }
        var outs: [(count: Int, reason: ScalingReason)] = []
        var ins: [(count: Int, reason: ScalingReason)] = []
        var held = false
        for (_, recommendation) in recommendations {
            switch recommendation {
            case .scaleOut(let count, let reason): outs.append((count, reason))
            case .scaleIn(let count, let reason): ins.append((count, reason))
            case .hold: held = true
            case .noOpinion: break
            }
        }

        if !outs.isEmpty, !suspension.dynamicScalingOut, let largest = outs.map(\.count).max() {
            let count = bounds.clamp(largest)
            guard count > desired else { return nil }
            let reasons = outs.filter { $0.count == largest }.map(\.reason)
            record(.scaleOut, policies: reasons.map(\.policyName), at: now)
            return ScalingDecision(previousDesired: desired, newDesired: count, cause: .policies(reasons))
        }
        if outs.isEmpty, !ins.isEmpty, !held, !suspension.dynamicScalingIn, let largest = ins.map(\.count).max() {
            let count = bounds.clamp(largest)
            guard count < desired else { return nil }
            let reasons = ins.map(\.reason)
            record(.scaleIn, policies: reasons.map(\.policyName), at: now)
            for name in targetTracking.keys { targetTracking[name]?.noteScaleIn(at: now) }
            return ScalingDecision(previousDesired: desired, newDesired: count, cause: .policies(reasons))
        }
        return nil
    }

    private func recommendation(of name: String, at now: Instant, capacity: CapacitySnapshot) -> PolicyRecommendation {
        if let evaluator = targetTracking[name] { return evaluator.recommend(at: now, capacity: capacity) }
        if let evaluator = stepScaling[name] { return evaluator.recommend(at: now, capacity: capacity) }
        return .noOpinion
    }

    private mutating func record(_ direction: ScalingDirection, policies names: [String], at now: Instant) {
        for name in Set(names) {
            targetTracking[name]?.recordScaling(direction, at: now)
            stepScaling[name]?.recordScaling(at: now)
        }
    }

    private mutating func synchronize(with policies: [ScalingPolicy]) {
        var trackingNames = Set<String>()
        var stepNames = Set<String>()
        for policy in policies {
            switch policy.kind {
            case .targetTracking(let configuration):
                trackingNames.insert(policy.name)
                if targetTracking[policy.name] == nil {
                    targetTracking[policy.name] = TargetTrackingEvaluator(policyName: policy.name, configuration: configuration)
                } else {
                    targetTracking[policy.name]?.reconfigure(configuration)
                }
            case .stepScaling(let configuration):
                stepNames.insert(policy.name)
                if stepScaling[policy.name] == nil {
                    stepScaling[policy.name] = StepScalingEvaluator(policyName: policy.name, configuration: configuration)
                } else {
                    stepScaling[policy.name]?.reconfigure(configuration)
                }
            }
        }
        targetTracking = targetTracking.filter { trackingNames.contains($0.key) }
        stepScaling = stepScaling.filter { stepNames.contains($0.key) }
    }
}
