/// Passive health of one target as seen by one worker (Envoy's outlier detection): counts
/// consecutive 5xx responses and gateway failures, and ejects the target when a count reaches
/// its threshold, without waiting for an active health check.
///
/// The n-th ejection lasts `baseEjectionSeconds × n`, capped at `maxEjectionSeconds`. As in
/// Envoy, the multiplier decays while the target behaves: for each `baseEjectionSeconds` that
/// passes after an ejection ends without a new one, it drops by one. The group-wide
/// `maxEjectionPercent` rule is applied by `TargetPicker`, which sees all of a group's targets.
public struct OutlierDetector: Sendable, Equatable {
    public private(set) var consecutiveServerErrors = 0
    public private(set) var consecutiveGatewayFailures = 0
    /// The ejection multiplier: ejections in a row, decayed by good behaviour.
    public private(set) var timesEjected = 0
    /// When the current (or last) ejection ends; `-infinity` when never ejected.
    public private(set) var ejectedUntil: Double = -.infinity

    public init() {}

    /// Whether the target is ejected at `now`.
    @inline(__always)
    public func isEjected(now: Double) -> Bool {
        now < ejectedUntil
    }

    /// Counts one request outcome. Returns true when a threshold has been reached and the target
    /// should be ejected (the caller decides, given the group's ejection limit, and calls `eject`).
    public mutating func record(_ outcome: RequestOutcome, configuration: OutlierDetectionConfiguration) -> Bool {
        guard configuration.enabled else { return false }
        if outcome == .abandoned { return false }
        if outcome.isServerError {
            consecutiveServerErrors += 1
        } else {
            consecutiveServerErrors = 0
        }
        if outcome.isGatewayFailure {
            consecutiveGatewayFailures += 1
        } else {
            consecutiveGatewayFailures = 0
        }
        let serverErrorsTrip =
            configuration.consecutive5xx > 0 && consecutiveServerErrors >= configuration.consecutive5xx
        let gatewayFailuresTrip =
            configuration.consecutiveGatewayFailures > 0
            && consecutiveGatewayFailures >= configuration.consecutiveGatewayFailures
        return serverErrorsTrip || gatewayFailuresTrip
    }

    /// Ejects the target from `now`; returns the ejection's length in seconds.
    @discardableResult
    public mutating func eject(now: Double, configuration: OutlierDetectionConfiguration) -> Double {
        let base = configuration.baseEjectionSeconds
        if ejectedUntil.isFinite, now > ejectedUntil, base > 0 {
            let quietPeriods = Int(((now - ejectedUntil) / base).rounded(.down))
            timesEjected = max(0, timesEjected - quietPeriods)
        }
        timesEjected += 1
        let length = min(base * Double(timesEjected), max(base, configuration.maxEjectionSeconds))
        ejectedUntil = now + length
        consecutiveServerErrors = 0
        consecutiveGatewayFailures = 0
        return length
    }
}
