import Foundation
import LB

/// The dashboard's data source for `wharf serve`: the ECS parts from an
/// ``ECSDashboardProvider``, the target groups, chart and LB metrics from the
/// ``LoadBalancer``, the alerts computed from both.
///
/// Task counts for the chart are recorded on every snapshot; call ``startSampling(every:)``
/// so the chart has them also while nobody watches the page.
public final class WharfDashboardSource: DashboardDataSource {
    /// How often ``startSampling(every:)`` records task counts by default.
    public static let defaultSamplingInterval: Duration = .seconds(5)

    public let balancer: LoadBalancer
    public let provider: any ECSDashboardProvider
    public let taskCounts: TaskCountHistory
    private let section: LoadBalancerSection
    private let wallClock: @Sendable () -> Double

    public init(
        balancer: LoadBalancer, provider: any ECSDashboardProvider, taskCounts: TaskCountHistory = TaskCountHistory(),
        wallClock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.balancer = balancer
        self.provider = provider
        self.taskCounts = taskCounts
        self.wallClock = wallClock
        self.section = LoadBalancerSection(balancer: balancer, wallClock: wallClock)
    }

    public func snapshot() async -> DashboardSnapshot {
        let ecs = await provider.ecsSection()
        let now = wallClock()
        record(ecs.services, at: now)
        return DashboardSnapshot(
            generatedAt: now, clusters: ecs.clusters, services: ecs.services, tasks: ecs.tasks,
            targetGroups: section.targetGroups(), scalingActivities: ecs.scalingActivities,
            charts: section.charts(for: ecs.services, taskCounts: taskCounts)
        ).withAlerts()
    }

    public func prometheusMetrics() async -> String {
        let ecs = await provider.ecsSection()
        record(ecs.services, at: wallClock())
        let figures = WharfMetricFigures(
            snapshot: DashboardSnapshot(
                generatedAt: 0, services: ecs.services, tasks: ecs.tasks, scalingActivities: ecs.scalingActivities))
        return section.prometheusText() + WharfMetricsText.render(figures)
    }

    /// Records the current task counts of every service (for the chart).
    public func recordTaskCounts() async {
        let ecs = await provider.ecsSection()
        record(ecs.services, at: wallClock())
    }

    /// Records task counts every `interval` until the returned task is cancelled.
    public func startSampling(every interval: Duration = WharfDashboardSource.defaultSamplingInterval) -> Task<Void, Never> {
        Task { [self] in
            while !Task.isCancelled {
                await recordTaskCounts()
                try? await Task.sleep(for: interval)
            }
        }
    }

    private func record(_ services: [DashboardService], at time: Double) {
        for service in services {
            taskCounts.record(
                service: "\(service.cluster)/\(service.name)", running: service.runningCount, desired: service.desiredCount, at: time)
        }
    }
}
