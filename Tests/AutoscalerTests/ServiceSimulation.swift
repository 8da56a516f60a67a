import Autoscaler

/// A deterministic random source (SplitMix64) so noisy-load tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A simulated service on a fake clock: tasks become healthy `startupSeconds` after the
/// desired count rises, leave at once when it falls, and the scaler is evaluated every second
/// with the load the test supplies.
struct ServiceSimulation {
    static let label = "app/web/50dc6c495c0c9188/targetgroup/web/73e2d6bc24d8a067"
    static let requests = ScalingMetric.requestCountPerTarget(resourceLabel: label)

    var scaler = TargetScaler()
    var policies: [ScalingPolicy]
    var bounds: CapacityBounds
    var suspension = ScalingSuspension.none
    var desired: Int
    /// Times at which started tasks become healthy, one per task (past times: healthy).
    var readyTimes: [Double]
    var startupSeconds: Double
    var now: Double = 1_800_000_000
    /// Every decision taken, with the simulated second it was taken at.
    var decisions: [(time: Double, decision: ScalingDecision)] = []

    init(policies: [ScalingPolicy], desired: Int, bounds: CapacityBounds = CapacityBounds(minimum: 1, maximum: 100),
         startupSeconds: Double = 5) {
        self.policies = policies
        self.bounds = bounds
        self.desired = desired
        self.startupSeconds = startupSeconds
        self.readyTimes = Array(repeating: 0, count: desired)
    }

    var healthy: Int { readyTimes.filter { $0 <= now }.count }
    var capacity: CapacitySnapshot { CapacitySnapshot(desired: desired, running: readyTimes.count, healthy: healthy) }

    /// Advances one second with `readings` for that second (built from the healthy count).
    mutating func tick(_ readings: (Int) -> MetricReadings) {
        now += 1
        let current = capacity
        if let decision = scaler.evaluate(
            policies: policies, readings: readings(current.healthy), capacity: current, bounds: bounds,
            suspension: suspension, at: Instant(secondsSinceEpoch: now))
        {
            decisions.append((now, decision))
            apply(decision.newDesired)
        }
    }

    /// Runs `seconds` seconds at a total request rate given per second.
    mutating func run(seconds: Int, requestsPerSecond: (Double) -> Double) {
        for _ in 0..<seconds {
            let rate = requestsPerSecond(now + 1)
            tick { _ in MetricReadings([Self.requests: rate]) }
        }
    }

    mutating func apply(_ count: Int) {
        if count > readyTimes.count {
            readyTimes += Array(repeating: now + startupSeconds, count: count - readyTimes.count)
        } else {
            readyTimes.removeLast(readyTimes.count - count)
        }
        desired = count
    }

    /// A request-count policy holding `perTargetPerMinute`.
    static func requestPolicy(
        _ name: String = "requests", perTargetPerMinute: Double = 600, tuning: TargetTrackingTuning = .standard,
        scaleOutCooldown: Double = 0, scaleInCooldown: Double = 0, disableScaleIn: Bool = false
    ) -> ScalingPolicy {
        ScalingPolicy(name: name, kind: .targetTracking(TargetTrackingConfiguration(
            metric: requests, targetValue: perTargetPerMinute, scaleOutCooldownSeconds: scaleOutCooldown,
            scaleInCooldownSeconds: scaleInCooldown, disableScaleIn: disableScaleIn, tuning: tuning)))
    }
}
