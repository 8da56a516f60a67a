/// Something on the dashboard that needs attention; shown first, in red for `critical`.
public struct DashboardAlert: Sendable, Equatable, Codable {
    public enum Severity: String, Sendable, Equatable, Codable, Comparable {
        case critical, warning

        private var rank: Int { self == .critical ? 0 : 1 }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    /// What is affected: `target-group/web/10.0.0.5:80`, `service/demo/web`.
    public var subject: String
    public var message: String

    public init(severity: Severity, subject: String, message: String) {
        self.severity = severity
        self.subject = subject
        self.message = message
    }
}
