import Foundation
import GRDB

/// Service events in ECS's words (`(service web) has started 2 tasks: (task 0123...).`),
/// written to the store; DescribeServices shows the newest 100.
enum ServiceEventLog {
    /// Events kept per service beyond what DescribeServices shows (older ones are deleted).
    static let retained = 200

    static func add(_ db: Database, serviceArn: String, message: String, now: Double) throws {
        try ServiceEventRecord(id: UUID().uuidString.lowercased(), serviceArn: serviceArn, createdAt: now, message: message)
            .insert(db)
        try db.execute(sql: """
            DELETE FROM serviceEvent WHERE serviceArn = ? AND id NOT IN
            (SELECT id FROM serviceEvent WHERE serviceArn = ? ORDER BY createdAt DESC LIMIT ?)
            """, arguments: [serviceArn, serviceArn, retained])
    }

    static func started(_ service: String, taskIDs: [String]) -> String {
        "(service \(service)) has started \(taskIDs.count) tasks: \(taskIDs.map { "(task \($0))" }.joined(separator: " "))."
    }

    static func stopped(_ service: String, taskIDs: [String]) -> String {
        "(service \(service)) has stopped \(taskIDs.count) running tasks: \(taskIDs.map { "(task \($0))" }.joined(separator: " "))."
    }

    static func steadyState(_ service: String) -> String {
        "(service \(service)) has reached a steady state."
    }

    static func deploymentCompleted(_ service: String, deployment: String) -> String {
        "(service \(service)) (deployment \(deployment)) deployment completed."
    }

    static func deploymentFailed(_ service: String, deployment: String) -> String {
        "(service \(service)) (deployment \(deployment)) deployment failed: tasks failed to start."
    }

    static func rollingBack(_ service: String, to deployment: String) -> String {
        "(service \(service)) rolling back to deployment \(deployment)."
    }

    static func unplaced(_ service: String, reason: String) -> String {
        "(service \(service)) was unable to place a task because no container instance met all of its requirements. Reason: \(reason)."
    }

    static func registered(_ service: String, count: Int, targetGroup: String) -> String {
        "(service \(service)) registered \(count) targets in (target-group \(targetGroup))"
    }

    static func draining(_ service: String, count: Int) -> String {
        "(service \(service)) has begun draining connections on \(count) tasks."
    }

    static func deregistered(_ service: String, count: Int, targetGroup: String) -> String {
        "(service \(service)) deregistered \(count) targets in (target-group \(targetGroup))"
    }

    static func unhealthy(_ service: String, taskID: String, reason: String) -> String {
        "(service \(service)) (task \(taskID)) \(reason)."
    }
}
