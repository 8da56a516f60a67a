import Dashboard
import Foundation
import GRDB

/// The ECS part of the dashboard, read from the store: clusters with their counts, services
/// with deployments and events, live and recently stopped tasks, and (from whoever runs
/// autoscaling) the scaling activities.
public final class ECSDashboardData: ECSDashboardProvider {
    /// Stopped tasks shown besides the live ones (newest first).
    public static let stoppedTasksShown = 50

    private let store: ECSStore
    private let context: ECSRequestContext
    private let activities: @Sendable () async -> [DashboardScalingActivity]

    public init(store: ECSStore, context: ECSRequestContext,
                activities: @escaping @Sendable () async -> [DashboardScalingActivity] = { [] }) {
        self.store = store
        self.context = context
        self.activities = activities
    }

    public func ecsSection() async -> ECSDashboardSection {
        let context = self.context
        var section = (try? await store.read { db in try Self.read(db, context: context) }) ?? ECSDashboardSection()
        section.scalingActivities = await activities()
        return section
    }

    private static func read(_ db: Database, context: ECSRequestContext) throws -> ECSDashboardSection {
        let clusters = try ClusterRecord.order(Column("name")).fetchAll(db).map { cluster in
            let counts = try ClusterCounts.fetch(db, clusterName: cluster.name)
            return DashboardCluster(
                name: cluster.name, status: cluster.status.rawValue, activeServices: counts.activeServices,
                runningTasks: counts.runningTasks, pendingTasks: counts.pendingTasks,
                containerInstances: counts.registeredContainerInstances)
        }
        let services = try ServiceRecord
            .filter(Column("status") != ECSServiceStatus.inactive.rawValue)
            .order(Column("clusterName"), Column("name"))
            .fetchAll(db)
            .map { record in
                let service = try ServiceRendering.render(db, record, withTags: false, context: context)
                return DashboardService(
                    cluster: record.clusterName, name: record.name, status: service.status, desiredCount: service.desiredCount,
                    runningCount: service.runningCount, pendingCount: service.pendingCount,
                    taskDefinition: shortName(service.taskDefinition),
                    targetGroups: service.loadBalancers.compactMap { $0.targetGroupArn ?? $0.loadBalancerName }
                        .map(LBTargetRegistrar.groupName),
                    deployments: service.deployments.map { deployment in
                        DashboardDeployment(
                            id: deployment.id, status: deployment.status, taskDefinition: shortName(deployment.taskDefinition),
                            desiredCount: deployment.desiredCount, runningCount: deployment.runningCount,
                            pendingCount: deployment.pendingCount, failedTasks: deployment.failedTasks,
                            rolloutState: deployment.rolloutState ?? "", rolloutStateReason: deployment.rolloutStateReason,
                            createdAt: deployment.createdAt, updatedAt: deployment.updatedAt)
                    },
                    events: service.events.prefix(20).map { DashboardServiceEvent(createdAt: $0.createdAt, message: $0.message) })
            }
        let serviceNames = Dictionary(try ServiceRecord.fetchAll(db).map { ($0.arn, $0.name) }) { first, _ in first }
        let live = try TaskRecord.filter(Column("desiredStatus") == ECSTaskStatus.running.rawValue || Column("lastStatus") != ECSTaskStatus.stopped.rawValue)
            .order(Column("createdAt").desc).fetchAll(db)
        let stopped = try TaskRecord.filter(Column("desiredStatus") == ECSTaskStatus.stopped.rawValue && Column("lastStatus") == ECSTaskStatus.stopped.rawValue)
            .order(Column("stoppedAt").desc).limit(stoppedTasksShown).fetchAll(db)
        let tasks = (live + stopped).map { record in
            let document = record.decodedDocument
            return DashboardTask(
                cluster: record.clusterName, id: record.id, service: record.serviceArn.flatMap { serviceNames[$0] },
                taskDefinition: shortName(record.taskDefinitionArn),
                lastStatus: TaskRendering.shownStatus(record.lastStatus, networkMode: document.networkMode),
                desiredStatus: record.desiredStatus.rawValue, healthStatus: document.healthStatus ?? "UNKNOWN",
                ipAddress: document.address, startedAt: record.startedAt, stoppedAt: record.stoppedAt,
                stoppedReason: record.stoppedReason, stopCode: record.stopCode,
                containers: document.containers.map { container in
                    DashboardContainer(name: container.name, lastStatus: container.lastStatus, healthStatus: container.healthStatus,
                                       exitCode: container.exitCode, reason: container.reason)
                })
        }
        return ECSDashboardSection(clusters: clusters, services: services, tasks: tasks)
    }

    /// `family:revision` of a task definition ARN.
    private static func shortName(_ arn: String) -> String {
        arn.split(separator: "/").last.map(String.init) ?? arn
    }
}
