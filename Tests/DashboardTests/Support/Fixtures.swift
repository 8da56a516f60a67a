import Dashboard

/// ECS data for tests: a cluster `demo` with a healthy-looking `web` service behind target
/// group `web`, a `worker` service short of its desired count, tasks and scaling activities.
enum Fixtures {
    static let now = 1_763_780_000.0

    static func ecsSection(now: Double = Fixtures.now) -> ECSDashboardSection {
        ECSDashboardSection(
            clusters: [DashboardCluster(name: "demo", status: "ACTIVE", activeServices: 2, runningTasks: 4, pendingTasks: 1, containerInstances: 1)],
            services: [
                DashboardService(
                    cluster: "demo", name: "web", status: "ACTIVE", desiredCount: 3, runningCount: 3, pendingCount: 0,
                    taskDefinition: "web:7", targetGroups: ["web"],
                    deployments: [
                        DashboardDeployment(
                            id: "ecs-svc/1111", status: "PRIMARY", taskDefinition: "web:7", desiredCount: 3, runningCount: 3, pendingCount: 0,
                            rolloutState: "COMPLETED", createdAt: now - 900, updatedAt: now - 600),
                    ],
                    events: [
                        DashboardServiceEvent(createdAt: now - 60, message: "(service web) has reached a steady state."),
                        DashboardServiceEvent(createdAt: now - 400, message: "(service web) has started 1 tasks: (task 3c1d)."),
                    ]),
                DashboardService(
                    cluster: "demo", name: "worker", status: "ACTIVE", desiredCount: 2, runningCount: 1, pendingCount: 1,
                    taskDefinition: "worker:2",
                    deployments: [
                        DashboardDeployment(
                            id: "ecs-svc/2222", status: "PRIMARY", taskDefinition: "worker:2", desiredCount: 2, runningCount: 1, pendingCount: 1,
                            failedTasks: 1, rolloutState: "IN_PROGRESS", createdAt: now - 120, updatedAt: now - 5),
                    ]),
            ],
            tasks: [
                DashboardTask(
                    cluster: "demo", id: "3c1d5e7f9a0b4c2d", service: "web", taskDefinition: "web:7", lastStatus: "RUNNING",
                    desiredStatus: "RUNNING", healthStatus: "HEALTHY", ipAddress: "10.88.0.5", startedAt: now - 3723,
                    containers: [DashboardContainer(name: "httpd", lastStatus: "RUNNING", healthStatus: "HEALTHY")]),
                DashboardTask(
                    cluster: "demo", id: "9f8e7d6c5b4a3921", service: "worker", taskDefinition: "worker:2", lastStatus: "STOPPED",
                    desiredStatus: "STOPPED", ipAddress: "10.88.0.9", startedAt: now - 300, stoppedAt: now - 240,
                    stoppedReason: "Essential container in task exited", stopCode: "EssentialContainerExited",
                    containers: [DashboardContainer(name: "worker", lastStatus: "STOPPED", exitCode: 137, reason: "OutOfMemoryError: container killed", restartCount: 2)]),
            ],
            scalingActivities: [
                DashboardScalingActivity(
                    resourceId: "service/demo/web", activityId: "a-2", description: "Setting desired count to 3.",
                    cause: "monitor alarm TargetTracking-service/demo/web-AlarmHigh in state ALARM triggered policy requests-per-target",
                    statusCode: "Successful", startTime: now - 400, endTime: now - 395),
            ])
    }

    /// A target group section as the load balancer would build it: one failing target.
    static let targetGroup = DashboardTargetGroup(
        name: "web", requestsPerSecond: 42.5, requestsPerSecondLastMinute: 40, requestsTotal: 12_000, serverErrorsTotal: 3,
        activeConnections: 4, responseTime: DashboardLatency(count: 2400, p50: 1.2, p90: 3.4, p99: 9.8),
        targets: [
            DashboardTarget(
                id: 2, address: "10.88.0.6", port: 80, state: "unhealthy", reason: "Target.ResponseCodeMismatch",
                description: "Health checks failed with these codes: [500]", lastStateChange: now - 30,
                recentChecks: [
                    DashboardHealthCheck(time: now - 15, passed: true, status: 200, latencyMilliseconds: 0.8, detail: "passed (200)"),
                    DashboardHealthCheck(time: now - 10, passed: false, status: 500, latencyMilliseconds: 1.1, detail: "failed: code 500"),
                ]),
            DashboardTarget(id: 1, address: "10.88.0.5", port: 80, state: "healthy", lastStateChange: now - 3600, requestsPerSecond: 42.5),
        ])
}

/// An ``ECSDashboardProvider`` that returns fixed data.
struct FixtureProvider: ECSDashboardProvider {
    var section: ECSDashboardSection

    func ecsSection() async -> ECSDashboardSection { section }
}
