/// Why a target is not `healthy`: ALB's reason codes, with the exact code as raw value
/// (`TargetHealth.Reason` in the ELBv2 API).
public enum TargetHealthReason: String, Sendable, Equatable, CaseIterable {
    /// `initial`: registered, no health check completed yet.
    case registrationInProgress = "Elb.RegistrationInProgress"
    /// `initial`: checks are running but have not yet decided the state.
    case initialHealthChecking = "Elb.InitialHealthChecking"
    /// `unhealthy`: the check got a response whose code the matcher does not accept.
    case responseCodeMismatch = "Target.ResponseCodeMismatch"
    /// `unhealthy`: the check got no response within `timeoutSeconds`.
    case timeout = "Target.Timeout"
    /// `unhealthy`: connecting failed or the response was malformed.
    case failedHealthChecks = "Target.FailedHealthChecks"
    /// `unused`: the target is not registered.
    case notRegistered = "Target.NotRegistered"
    /// `unused`: the target group is not used by any listener.
    case notInUse = "Target.NotInUse"
    /// `draining`: deregistered, in-flight requests finishing.
    case deregistrationInProgress = "Target.DeregistrationInProgress"
    /// `unused`: the target is in a state that cannot receive traffic (not produced by Wharf's
    /// checks; kept for callers that map their own states onto ALB's).
    case invalidState = "Target.InvalidState"
    /// `unavailable`: health checks are disabled for the group.
    case healthCheckDisabled = "Target.HealthCheckDisabled"
    /// `unhealthy`: the load balancer itself could not run the check.
    case internalError = "Elb.InternalError"

    /// ALB's description for the reason, without details (see `TargetHealthTracker.description`
    /// for the detailed form, e.g. the codes of a mismatch).
    public var standardDescription: String {
        switch self {
        case .registrationInProgress: return "Target registration is in progress"
        case .initialHealthChecking: return "Initial health checks in progress"
        case .responseCodeMismatch: return "Health checks failed"
        case .timeout: return "Request timed out"
        case .failedHealthChecks: return "Health checks failed"
        case .notRegistered: return "Target is not registered to the target group"
        case .notInUse: return "Target group is not configured to receive traffic from the load balancer"
        case .deregistrationInProgress: return "Target deregistration is in progress"
        case .invalidState: return "Target is in an invalid state"
        case .healthCheckDisabled: return "Health checks are disabled"
        case .internalError: return "Health checks failed due to an internal error"
        }
    }
}
