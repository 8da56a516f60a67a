/// Decides what the dashboard flags at the top of the page: failing targets and unhealthy
/// services first (critical, red), then services short of their desired count (warning).
public enum DashboardAlerts {
    /// The alerts of `snapshot`, critical first, each severity in page order (target groups,
    /// then services, then tasks).
    public static func evaluate(_ snapshot: DashboardSnapshot) -> [DashboardAlert] {
        var alerts: [DashboardAlert] = []
        for group in snapshot.targetGroups {
            alerts += targetGroupAlerts(group)
        }
        for service in snapshot.services {
            alerts += serviceAlerts(service, tasks: snapshot.tasks)
        }
        // A stable sort: the order within a severity is the order found.
        return alerts.enumerated()
            .sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }
            .map(\.element)
    }

    private static func targetGroupAlerts(_ group: DashboardTargetGroup) -> [DashboardAlert] {
        var alerts: [DashboardAlert] = []
        for target in group.targets where target.isFailing {
            var message = "target \(target.address):\(target.port) is unhealthy"
            if let reason = target.reason { message += " (\(reason))" }
            if let description = target.description { message += ": \(description)" }
            alerts.append(DashboardAlert(
                severity: .critical, subject: "target-group/\(group.name)/\(target.address):\(target.port)", message: message))
        }
        let settled = group.targets.filter { $0.state != "draining" && $0.state != "initial" }
        if !settled.isEmpty, !settled.contains(where: { $0.state == "healthy" || $0.state == "unavailable" }) {
            alerts.append(DashboardAlert(
                severity: .critical, subject: "target-group/\(group.name)",
                message: "no healthy target: requests are spread over all targets (fail-open)"))
        }
        return alerts
    }

    private static func serviceAlerts(_ service: DashboardService, tasks: [DashboardTask]) -> [DashboardAlert] {
        let subject = "service/\(service.cluster)/\(service.name)"
        var alerts: [DashboardAlert] = []
        for deployment in service.deployments where deployment.rolloutState == "FAILED" {
            var message = "deployment \(deployment.id) (\(deployment.taskDefinition)) failed"
            if let reason = deployment.rolloutStateReason { message += ": \(reason)" }
            alerts.append(DashboardAlert(severity: .critical, subject: subject, message: message))
        }
        for task in tasks
        where task.cluster == service.cluster && task.service == service.name
            && task.lastStatus == "RUNNING" && task.healthStatus == "UNHEALTHY" {
            alerts.append(DashboardAlert(severity: .critical, subject: subject, message: "task \(task.id) is UNHEALTHY"))
        }
        if service.status == "ACTIVE", service.runningCount < service.desiredCount {
            alerts.append(DashboardAlert(
                severity: .warning, subject: subject,
                message: "\(service.runningCount) of \(service.desiredCount) desired tasks running (\(service.pendingCount) pending)"))
        }
        return alerts
    }
}
