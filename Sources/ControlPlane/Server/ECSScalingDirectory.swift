import AutoScaling
import Autoscaler
import Foundation
import GRDB

/// ECS services as Application Auto Scaling sees them: their capacity (desired, running, and
/// healthy in their target groups) and their desired count, changed as UpdateService would.
public final class ECSScalingDirectory: ECSServiceDirectory {
    private let api: ECSAPI
    private let targetGroups: (any TargetGroupCatalog)?
    private let context: ECSRequestContext

    public init(api: ECSAPI, targetGroups: (any TargetGroupCatalog)?, context: ECSRequestContext) {
        self.api = api
        self.targetGroups = targetGroups
        self.context = context
    }

    public func capacity(of service: ECSServiceReference) throws -> CapacitySnapshot? {
        let arn = context.arn(.service(cluster: service.cluster, name: service.service)).description
        let found = try api.store.read { db -> (ServiceRecord, [TaskRecord], [String: TaskDefinition])? in
            guard let record = try ServiceRecord.fetchOne(db, key: arn), record.status == .active else { return nil }
            let running = try TaskRecord
                .filter(Column("serviceArn") == arn && Column("desiredStatus") == ECSTaskStatus.running.rawValue
                        && Column("lastStatus") == ECSTaskStatus.running.rawValue)
                .fetchAll(db)
            var definitions: [String: TaskDefinition] = [:]
            for definitionArn in Set(running.map(\.taskDefinitionArn)) {
                definitions[definitionArn] = try TaskDefinitionRecord.fetchOne(db, key: definitionArn)?.rendered
            }
            return (record, running, definitions)
        }
        guard let (record, running, definitions) = found else { return nil }
        let now = Date().timeIntervalSince1970
        let healthy = running.filter { task in
            ServiceTaskHealth.classify(task, definition: definitions[task.taskDefinitionArn], targetGroups: targetGroups,
                                       grace: 0, now: now) == .healthy
        }
        return CapacitySnapshot(desired: record.desiredCount, running: running.count, healthy: healthy.count)
    }

    public func setDesiredCount(_ count: Int, of service: ECSServiceReference, cause: String) throws {
        var context = self.context
        context.now = Date()
        _ = try api.updateService(UpdateServiceRequest(cluster: service.cluster, service: service.service, desiredCount: count),
                                  context)
    }
}
