/// Renders ``WharfMetricFigures`` in the Prometheus text format (0.0.4), families named
/// `wharf_*` beside the load balancer's `wharf_lb_*` (``LB/PrometheusExposition``).
///
/// - `wharf_tasks{cluster,state}` gauge
/// - `wharf_container_restarts_total{cluster,service,container}` counter
/// - `wharf_container_exits_total{cluster,service,container,exit_code}` counter
/// - `wharf_service_desired_tasks`, `wharf_service_running_tasks`,
///   `wharf_service_pending_tasks{cluster,service}` gauges
/// - `wharf_autoscaling_min_capacity`, `wharf_autoscaling_max_capacity{resource_id}` gauges
/// - `wharf_autoscaling_activities_total{resource_id,status}` counter
///
/// A family with no series is left out (Prometheus accepts either).
public enum WharfMetricsText {
    /// The `Content-Type` of the text.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ figures: WharfMetricFigures) -> String {
        var writer = PrometheusWriter()
        if !figures.tasks.isEmpty {
            writer.family("wharf_tasks", .gauge, help: "Tasks by cluster and last status.")
            for entry in figures.tasks {
                writer.sample("wharf_tasks", [("cluster", entry.cluster), ("state", entry.state)], entry.count)
            }
        }
        if !figures.containerRestarts.isEmpty {
            writer.family("wharf_container_restarts_total", .counter, help: "Container restarts by the runtime.")
            for entry in figures.containerRestarts {
                writer.sample(
                    "wharf_container_restarts_total",
                    [("cluster", entry.cluster), ("service", entry.service), ("container", entry.container)], entry.count)
            }
        }
        if !figures.containerExits.isEmpty {
            writer.family("wharf_container_exits_total", .counter, help: "Container exits by exit code.")
            for entry in figures.containerExits {
                writer.sample(
                    "wharf_container_exits_total",
                    [("cluster", entry.cluster), ("service", entry.service), ("container", entry.container),
                     ("exit_code", String(entry.exitCode))], entry.count)
            }
        }
        if !figures.services.isEmpty {
            let families: [(String, String, KeyPath<ServiceTaskCounts, Int>)] = [
                ("wharf_service_desired_tasks", "Desired task count of the service.", \.desired),
                ("wharf_service_running_tasks", "Running tasks of the service.", \.running),
                ("wharf_service_pending_tasks", "Pending tasks of the service.", \.pending),
            ]
            for (name, help, value) in families {
                writer.family(name, .gauge, help: help)
                for entry in figures.services {
                    writer.sample(name, [("cluster", entry.cluster), ("service", entry.service)], entry[keyPath: value])
                }
            }
        }
        if !figures.scalableTargets.isEmpty {
            let families: [(String, String, KeyPath<ScalableTargetFigures, Int>)] = [
                ("wharf_autoscaling_min_capacity", "Minimum capacity of the scalable target.", \.minCapacity),
                ("wharf_autoscaling_max_capacity", "Maximum capacity of the scalable target.", \.maxCapacity),
            ]
            for (name, help, value) in families {
                writer.family(name, .gauge, help: help)
                for entry in figures.scalableTargets {
                    writer.sample(name, [("resource_id", entry.resourceId)], entry[keyPath: value])
                }
            }
        }
        if !figures.scalingActivities.isEmpty {
            writer.family("wharf_autoscaling_activities_total", .counter, help: "Scaling activities by resource and status.")
            for entry in figures.scalingActivities {
                writer.sample(
                    "wharf_autoscaling_activities_total", [("resource_id", entry.resourceId), ("status", entry.status)], entry.count)
            }
        }
        return writer.text
    }
}
