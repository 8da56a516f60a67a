/// The active-health state machine of one target, driven by health check results and the
/// group's thresholds, with ALB's states, reason codes and descriptions.
///
/// Transitions (ALB, "Health checks for your target groups"):
/// - `initial` → `healthy` on the first passing check: "After your target is registered, it
///   must pass one health check to be considered healthy."
/// - `initial` → `unhealthy` after `unhealthyThresholdCount` consecutive failures (the same
///   count that takes a healthy target out of service; until then the reason is
///   `Elb.InitialHealthChecking`).
/// - `healthy` → `unhealthy`: "If the health checks exceed UnhealthyThresholdCount consecutive
///   failures, the load balancer takes the target out of service."
/// - `unhealthy` → `healthy`: "When the health checks exceed HealthyThresholdCount consecutive
///   successes, the load balancer puts the target back in service."
/// - any → `draining` on deregistration; results are then ignored.
/// - checks disabled → `unavailable` (`Target.HealthCheckDisabled`); enabled again → `initial`.
public struct TargetHealthTracker: Sendable, Equatable {
    /// Distinct response codes remembered for a `Target.ResponseCodeMismatch` description.
    static let maxMismatchCodes = 5

    public private(set) var state: TargetHealthState
    /// Nil exactly when the state is `healthy`.
    public private(set) var reason: TargetHealthReason?
    /// When the state last changed (monotonic seconds).
    public private(set) var lastStateChange: Double
    public private(set) var consecutiveSuccesses = 0
    public private(set) var consecutiveFailures = 0
    /// The last checks, oldest first.
    public private(set) var history: HealthCheckHistory
    /// The most recent failed check, which the description of an unhealthy target explains.
    public private(set) var lastFailure: HealthCheckResult?
    /// Codes of the current run of mismatching responses, oldest first, without repeats.
    private var mismatchCodes: [Int] = []

    /// A newly registered target: `initial` (`Elb.RegistrationInProgress`), or `unavailable`
    /// when the group's checks are disabled.
    public init(checksEnabled: Bool, now: Double, historyCapacity: Int = HealthCheckHistory.defaultCapacity) {
        state = checksEnabled ? .initial : .unavailable
        reason = checksEnabled ? .registrationInProgress : .healthCheckDisabled
        lastStateChange = now
        history = HealthCheckHistory(capacity: historyCapacity)
    }

    /// Applies one check result. Returns whether the state changed.
    @discardableResult
    public mutating func record(
        _ result: HealthCheckResult, at now: Double, configuration: HealthCheckConfiguration
    ) -> Bool {
        guard state != .draining, state != .unavailable else { return false }
        history.append(HealthCheckRecord(time: now, result: result))
        if result.passed {
            consecutiveSuccesses += 1
            consecutiveFailures = 0
            mismatchCodes.removeAll(keepingCapacity: true)
            switch state {
            case .initial, .unused:
                return transition(to: .healthy, reason: nil, at: now)
            case .unhealthy where consecutiveSuccesses >= configuration.healthyThresholdCount:
                return transition(to: .healthy, reason: nil, at: now)
            default:
                return false
            }
        }
        consecutiveFailures += 1
        consecutiveSuccesses = 0
        lastFailure = result
        if case .statusMismatch(let status, _) = result, !mismatchCodes.contains(status) {
            if mismatchCodes.count == Self.maxMismatchCodes { mismatchCodes.removeFirst() }
            mismatchCodes.append(status)
        }
        let failureReason = result.failureReason ?? .failedHealthChecks
        switch state {
        case .initial, .unused, .healthy:
            if consecutiveFailures >= configuration.unhealthyThresholdCount {
                return transition(to: .unhealthy, reason: failureReason, at: now)
            }
            if state != .healthy { reason = .initialHealthChecking }
            return false
        case .unhealthy:
            reason = failureReason
            return false
        case .draining, .unavailable:
            return false
        }
    }

    /// Deregistration: the target stops receiving new requests. Returns whether the state changed.
    @discardableResult
    public mutating func beginDraining(at now: Double) -> Bool {
        transition(to: .draining, reason: .deregistrationInProgress, at: now)
    }

    /// The group's health checks were turned off or on. Returns whether the state changed.
    @discardableResult
    public mutating func setChecksEnabled(_ enabled: Bool, at now: Double) -> Bool {
        guard state != .draining else { return false }
        consecutiveSuccesses = 0
        consecutiveFailures = 0
        mismatchCodes.removeAll()
        if enabled {
            guard state == .unavailable else { return false }
            return transition(to: .initial, reason: .registrationInProgress, at: now)
        }
        return transition(to: .unavailable, reason: .healthCheckDisabled, at: now)
    }

    /// ALB's description of the state (nil when healthy), e.g. "Health checks failed with these
    /// codes: [502]" or "Request timed out".
    public var description: String? {
        guard let reason else { return nil }
        switch reason {
        case .responseCodeMismatch:
            let codes = mismatchCodes.isEmpty ? (lastFailure?.status).map { [$0] } ?? [] : mismatchCodes
            return "Health checks failed with these codes: [\(codes.map(String.init).joined(separator: ","))]"
        case .failedHealthChecks:
            switch lastFailure {
            case .connectionFailed(_, let detail)?, .malformedResponse(let detail)?:
                return "Health checks failed (\(detail))"
            default:
                return reason.standardDescription
            }
        case .internalError:
            if case .internalError(let detail)? = lastFailure { return "\(reason.standardDescription) (\(detail))" }
            return reason.standardDescription
        default:
            return reason.standardDescription
        }
    }

    private mutating func transition(
        to newState: TargetHealthState, reason newReason: TargetHealthReason?, at now: Double
    ) -> Bool {
        reason = newReason
        guard newState != state else { return false }
        state = newState
        lastStateChange = now
        return true
    }
}
