/// How a proxied request ended, as far as the target is concerned; feeds passive health
/// (outlier detection).
public enum RequestOutcome: Sendable, Equatable {
    /// The target answered with `status`.
    case response(status: Int)
    /// Connecting to the target failed (refused, unreachable, or `targetConnect` elapsed).
    case connectFailed
    /// The target reset or closed the connection before a complete response.
    case connectionReset
    /// The target did not answer within `targetResponse`.
    case timedOut
    /// The client went away or the request was refused before reaching the target: says
    /// nothing about the target's health.
    case abandoned

    /// Envoy's gateway failures: 502, 503, 504 and locally detected connection failures.
    public var isGatewayFailure: Bool {
        switch self {
        case .response(let status): return status == 502 || status == 503 || status == 504
        case .connectFailed, .connectionReset, .timedOut: return true
        case .abandoned: return false
        }
    }

    /// A 5xx response or a gateway failure (Envoy counts local-origin failures as 5xx when they
    /// are not tracked separately).
    public var isServerError: Bool {
        switch self {
        case .response(let status): return status >= 500
        case .connectFailed, .connectionReset, .timedOut: return true
        case .abandoned: return false
        }
    }
}
