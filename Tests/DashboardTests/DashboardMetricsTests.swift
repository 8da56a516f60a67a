import Dashboard
import XCTest

/// `/metrics` text for the runtime's and autoscaler's figures.
final class DashboardMetricsTests: XCTestCase {
    func testFiguresRenderInPrometheusTextFormat() {
        let figures = WharfMetricFigures(
            tasks: [TaskStateCount(cluster: "demo", state: "RUNNING", count: 3)],
            containerRestarts: [ContainerCount(cluster: "demo", service: "worker", container: "worker", count: 2)],
            containerExits: [ContainerExitCount(cluster: "demo", service: "", container: "job", exitCode: 137, count: 1)],
            services: [ServiceTaskCounts(cluster: "demo", service: "web", desired: 4, running: 3, pending: 1)],
            scalableTargets: [ScalableTargetFigures(resourceId: "service/demo/web", minCapacity: 1, maxCapacity: 8)],
            scalingActivities: [ScalingActivityCount(resourceId: "service/demo/web", status: "Successful", count: 5)])
        XCTAssertEqual(WharfMetricsText.render(figures), """
            # HELP wharf_tasks Tasks by cluster and last status.
            # TYPE wharf_tasks gauge
            wharf_tasks{cluster="demo",state="RUNNING"} 3
            # HELP wharf_container_restarts_total Container restarts by the runtime.
            # TYPE wharf_container_restarts_total counter
            wharf_container_restarts_total{cluster="demo",service="worker",container="worker"} 2
            # HELP wharf_container_exits_total Container exits by exit code.
            # TYPE wharf_container_exits_total counter
            wharf_container_exits_total{cluster="demo",service="",container="job",exit_code="137"} 1
            # HELP wharf_service_desired_tasks Desired task count of the service.
            # TYPE wharf_service_desired_tasks gauge
            wharf_service_desired_tasks{cluster="demo",service="web"} 4
            # HELP wharf_service_running_tasks Running tasks of the service.
            # TYPE wharf_service_running_tasks gauge
            wharf_service_running_tasks{cluster="demo",service="web"} 3
            # HELP wharf_service_pending_tasks Pending tasks of the service.
            # TYPE wharf_service_pending_tasks gauge
            wharf_service_pending_tasks{cluster="demo",service="web"} 1
            # HELP wharf_autoscaling_min_capacity Minimum capacity of the scalable target.
            # TYPE wharf_autoscaling_min_capacity gauge
            wharf_autoscaling_min_capacity{resource_id="service/demo/web"} 1
            # HELP wharf_autoscaling_max_capacity Maximum capacity of the scalable target.
            # TYPE wharf_autoscaling_max_capacity gauge
            wharf_autoscaling_max_capacity{resource_id="service/demo/web"} 8
            # HELP wharf_autoscaling_activities_total Scaling activities by resource and status.
            # TYPE wharf_autoscaling_activities_total counter
            wharf_autoscaling_activities_total{resource_id="service/demo/web",status="Successful"} 5

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
        XCTAssertEqual(figures.tasks, [
            TaskStateCount(cluster: "demo", state: "RUNNING", count: 2), TaskStateCount(cluster: "demo", state: "STOPPED", count: 1),
        ])
        XCTAssertEqual(figures.services, [
            ServiceTaskCounts(cluster: "demo", service: "web", desired: 3, running: 3, pending: 0),
            ServiceTaskCounts(cluster: "demo", service: "worker", desired: 2, running: 1, pending: 1),
        ])
        XCTAssertEqual(figures.scalingActivities, [ScalingActivityCount(resourceId: "service/demo/web", status: "Successful", count: 1)])
    }
}
