import Foundation
import GRDB

/// Service events that follow its tasks' state changes: targets registered and drained.
extension ServiceController {
    func record(_ change: TaskStateChange) {
        guard let serviceArn = change.serviceArn else { return }
        let now = TaskLifecycle.seconds(clock())
        do {
            try api.store.write { db in
                guard let service = try ServiceRecord.fetchOne(db, key: serviceArn) else { return }
                let groups = ServiceDocument.decode(service.document).loadBalancers.map { $0.targetGroupArn ?? $0.loadBalancerName ?? "-" }
                guard !groups.isEmpty else { return }
                let messages: [String]
                switch change.lastStatus {
                case .running where change.desiredStatus == .running:
                    messages = groups.map { ServiceEventLog.registered(service.name, count: 1, targetGroup: $0) }
                case .deactivating:
                    messages = [ServiceEventLog.draining(service.name, count: 1)]
                case .stopping:
                    messages = groups.map { ServiceEventLog.deregistered(service.name, count: 1, targetGroup: $0) }
                default:
                    return
                }
                for message in messages { try ServiceEventLog.add(db, serviceArn: serviceArn, message: message, now: now) }
            }
        } catch {
            logger.warning("service events of \(serviceArn) not recorded: \(error)")
        }
    }
}
