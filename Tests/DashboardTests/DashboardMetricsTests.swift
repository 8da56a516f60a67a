import Dashboard
import XCTest

/// `/metrics` text for the runtime's and autoscaler's figures.
final class DashboardMetricsTests: XCTestCase {
    func testFiguresRenderInPrometheusTextFormat() {
        let figures = WharfMetricFigures(
            tasks: [TaskStateCount(cluster: "demo", state: "RUNNING", count: 3)],
            services: [ServiceTaskCounts(cluster: "demo", service: "web", desired: 4, running: 3, pending: 1)],
            recentScalingActivities: [ScalingActivityCount(resourceId: "service/demo/web", status: "Successful", count: 5)])
        XCTAssertEqual(WharfMetricsText.render(figures), """
            # HELP wharf_tasks Live tasks by cluster and last status (stopped tasks are not counted).
            # TYPE wharf_tasks gauge
            wharf_tasks{cluster="demo",state="RUNNING"} 3
            # HELP wharf_service_desired_tasks Desired task count of the service.
            # TYPE wharf_service_desired_tasks gauge
            wharf_service_desired_tasks{cluster="demo",service="web"} 4
            # HELP wharf_service_running_tasks Running tasks of the service.
            # TYPE wharf_service_running_tasks gauge
            wharf_service_running_tasks{cluster="demo",service="web"} 3
            # HELP wharf_service_pending_tasks Pending tasks of the service.
            # TYPE wharf_service_pending_tasks gauge
            wharf_service_pending_tasks{cluster="demo",service="web"} 1
            # HELP wharf_autoscaling_recent_activities Recent scaling activities (those the dashboard lists) by resource and status.
            # TYPE wharf_autoscaling_recent_activities gauge
            wharf_autoscaling_recent_activities{resource_id="service/demo/web",status="Successful"} 5

            """)
    }

    func testLabelValuesAreEscaped() {
        let figures = WharfMetricFigures(tasks: [TaskStateCount(cluster: "a\"b\\c\nd", state: "RUNNING", count: 1)])
        XCTAssertTrue(WharfMetricsText.render(figures).contains(#"wharf_tasks{cluster="a\"b\\c\nd",state="RUNNING"} 1"#))
    }

    func testEmptyFiguresRenderNothing() {
        XCTAssertEqual(WharfMetricsText.render(WharfMetricFigures()), "")
    }

    func testFiguresDerivedFromASnapshot() {
        let ecs = Fixtures.ecsSection()
        var tasks = ecs.tasks
        tasks.append(DashboardTask(cluster: "demo", id: "x", taskDefinition: "web:7", lastStatus: "RUNNING", desiredStatus: "RUNNING"))
        let figures = WharfMetricFigures(
            snapshot: DashboardSnapshot(generatedAt: 0, services: ecs.services, tasks: tasks, scalingActivities: ecs.scalingActivities))
        XCTAssertEqual(figures.tasks, [TaskStateCount(cluster: "demo", state: "RUNNING", count: 2)], "stopped tasks left out")
        XCTAssertEqual(figures.services, [
            ServiceTaskCounts(cluster: "demo", service: "web", desired: 3, running: 3, pending: 0),
            ServiceTaskCounts(cluster: "demo", service: "worker", desired: 2, running: 1, pending: 1),
        ])
        XCTAssertEqual(figures.recentScalingActivities, [ScalingActivityCount(resourceId: "service/demo/web", status: "Successful", count: 1)])
    }
}
