/// The outcome of one active health check, as reported by the prober.
public enum HealthCheckResult: Sendable, Equatable {
    /// A response whose code the matcher accepts, after `duration` seconds.
    case success(status: Int, duration: Double)
    /// A response whose code the matcher refuses.
    case statusMismatch(status: Int, duration: Double)
    /// No complete response within the group's `timeoutSeconds`.
    case timeout
    /// Connecting (or sending) failed: `errno` from the failing call (0 when there is none, such
    /// as an orderly close before any response) and a short reason (`"connect: Connection refused"`).
    case connectionFailed(errno: Int32, reason: String)
    /// The target answered with something that is not an HTTP response.
    case malformedResponse(reason: String)
    /// The load balancer could not run the check (no descriptors, TLS set-up failed, ...).
    case internalError(reason: String)

    /// Classifies a response by the group's matcher: `success` or `statusMismatch`.
    public static func response(status: Int, duration: Double, matcher: HTTPStatusMatcher) -> HealthCheckResult {
        matcher.matches(status)
            ? .success(status: status, duration: duration) : .statusMismatch(status: status, duration: duration)
    }

    public var passed: Bool {
        if case .success = self { return true }
        return false
    }

    /// The HTTP status of the response, when there was one.
    public var status: Int? {
        switch self {
        case .success(let status, _), .statusMismatch(let status, _): return status
        default: return nil
        }
    }

    /// Seconds the check took, when it got a response.
    public var duration: Double? {
        switch self {
        case .success(_, let duration), .statusMismatch(_, let duration): return duration
        default: return nil
        }
    }

    /// The ALB reason code a failure of this kind gives an unhealthy target (nil for success).
    public var failureReason: TargetHealthReason? {
        switch self {
        case .success: return nil
        case .statusMismatch: return .responseCodeMismatch
        case .timeout: return .timeout
        case .connectionFailed, .malformedResponse: return .failedHealthChecks
        case .internalError: return .internalError
        }
    }

    /// A one-line account of the check, for history listings.
    public var summary: String {
        switch self {
        case .success(let status, _): return "passed (\(status))"
        case .statusMismatch(let status, _): return "failed: code \(status)"
        case .timeout: return "failed: timed out"
        case .connectionFailed(let errno, let reason):
            return "failed: \(reason)" + (errno != 0 ? " (errno \(errno))" : "")
        case .malformedResponse(let reason): return "failed: malformed response: \(reason)"
        case .internalError(let reason): return "failed: internal error: \(reason)"
        }
    }
}
