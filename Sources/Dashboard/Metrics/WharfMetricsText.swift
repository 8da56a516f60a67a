import LB

/// Renders ``WharfMetricFigures`` in the Prometheus text format (0.0.4), families named
/// `wharf_*` beside the load balancer's `wharf_lb_*` (``LB/PrometheusExposition``, whose
/// writer and `contentType` this shares).
///
/// - `wharf_tasks{cluster,state}` gauge (live tasks: stopped ones are not counted)
/// - `wharf_service_desired_tasks`, `wharf_service_running_tasks`,
///   `wharf_service_pending_tasks{cluster,service}` gauges
/// - `wharf_autoscaling_recent_activities{resource_id,status}` gauge: among the recent
///   activities the dashboard lists, so it can go down as older ones drop off
///
/// A family with no series is left out (Prometheus accepts either).
public enum WharfMetricsText {
    public static func render(_ figures: WharfMetricFigures) -> String {
        var writer = PrometheusTextWriter()
        if !figures.tasks.isEmpty {
            writer.family("wharf_tasks", .gauge, help: "Live tasks by cluster and last status (stopped tasks are not counted).")
            for entry in figures.tasks {
                writer.sample("wharf_tasks", [("cluster", entry.cluster), ("state", entry.state)], entry.count)
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
        if !figures.recentScalingActivities.isEmpty {
            let name = "wharf_autoscaling_recent_activities"
            writer.family(name, .gauge, help: "Recent scaling activities (those the dashboard lists) by resource and status.")
            for entry in figures.recentScalingActivities {
                writer.sample(name, [("resource_id", entry.resourceId), ("status", entry.status)], entry.count)
            }
        }
        return writer.text
    }
}
