/// A named set of targets with its routing algorithm, health check and attributes (ALB's
/// target group and its attributes).
public struct TargetGroupConfiguration: Sendable, Equatable {
    /// How a target is chosen for each request (ALB's `load_balancing.algorithm.type`).
    public enum Algorithm: String, Sendable, Equatable, CaseIterable {
        /// Each routable target in turn, in proportion to its weight (smooth weighted round robin).
        case roundRobin = "round_robin"
        /// The target with the fewest requests in flight (relative to its weight).
        case leastOutstandingRequests = "least_outstanding_requests"
        /// A random target, with probability proportional to its weight.
        case weightedRandom = "weighted_random"
    }

    /// ALB's allowed slow start durations (0 turns slow start off).
    public static let slowStartRange: ClosedRange<Int> = 30...900
    /// ALB's allowed `deregistration_delay.timeout_seconds`.
    public static let deregistrationDelayRange: ClosedRange<Int> = 0...3600

    /// Unique among target groups: 1-32 letters, digits and hyphens, not starting or ending
    /// with a hyphen (ALB's rule).
    public var name: String
    public var algorithm: Algorithm = .roundRobin
    /// Seconds over which a newly healthy target's share of requests ramps up linearly
    /// (`slow_start.duration_seconds`); 0 is off, otherwise 30-900.
    public var slowStartSeconds: Int = 0
    /// Seconds a deregistered target stays `draining` before it is removed
    /// (`deregistration_delay.timeout_seconds`); default 300, 0-3600.
    public var deregistrationDelaySeconds: Int = 300
    public var healthCheck = HealthCheckConfiguration()
    public var outlierDetection = OutlierDetectionConfiguration()
    /// Targets registered from the configuration file.
    public var targets: [TargetConfiguration] = []

    public init(name: String) {
        self.name = name
    }

    /// Whether `name` follows ALB's naming rule for target groups (also used for listeners).
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...32).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-")
        else { return false }
        return bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
        }
    }
}
