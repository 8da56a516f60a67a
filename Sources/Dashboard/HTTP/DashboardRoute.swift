/// The paths the dashboard serves.
public enum DashboardRoute: String, Sendable, CaseIterable {
    /// The page (HTML with inline CSS, JS and SVG).
    case page = "/"
    /// Everything on the page as JSON (``DashboardSnapshot``).
    case snapshot = "/api/dashboard.json"
    /// Prometheus text.
    case metrics = "/metrics"
    /// Liveness: `ok`.
    case health = "/healthz"
}
