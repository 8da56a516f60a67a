import Foundation
import GRDB

/// What the tasks placed on one container instance take from it, and how many there are.
public struct ContainerInstanceUsage: Sendable, Equatable {
    public var reservedCPU = 0
    public var reservedMemory = 0
    public var tcpPorts: Set<Int> = []
    public var udpPorts: Set<Int> = []
    /// Tasks on the instance whose `desiredStatus` is `RUNNING` (ECS's definition of the
    /// instance's `runningTasksCount`).
    public var runningTasks = 0
    /// Tasks on the instance whose `lastStatus` is `PENDING`.
    public var pendingTasks = 0
    /// Tasks on the instance that still hold resources (what DeregisterContainerInstance refuses
    /// on without `force`).
    public var activeTasks = 0

    public init() {}

    /// Usage of each of `instanceIDs` (instances without tasks map to an empty usage).
    ///
    /// Sums and counts come from SQLite; only the port lists of tasks that reserve ports are
    /// read and decoded. (RunTask reads this inside its write transaction, on instances that
    /// may hold a thousand tasks: decoding every task row there was most of RunTask's time.)
    public static func fetch(_ db: Database, instanceIDs: [String]) throws -> [String: ContainerInstanceUsage] {
        var usage: [String: ContainerInstanceUsage] = [:]
        for id in instanceIDs { usage[id] = ContainerInstanceUsage() }
        guard !instanceIDs.isEmpty else { return usage }
        let statuses = TaskRecord.resourceHoldingStatuses
        let scope = """
            FROM task WHERE containerInstanceId IN (\(instanceIDs.map { _ in "?" }.joined(separator: ",")))
              AND lastStatus IN (\(statuses.map { _ in "?" }.joined(separator: ",")))
            """
        let totals = try Row.fetchAll(db, sql: """
            SELECT containerInstanceId, SUM(reservedCPU) AS cpu, SUM(reservedMemory) AS memory, COUNT(*) AS active,
                   SUM(desiredStatus = ?) AS running, SUM(lastStatus = ?) AS pending
            \(scope) GROUP BY containerInstanceId
            """, arguments: StatementArguments([ECSTaskStatus.running.rawValue, ECSTaskStatus.pending.rawValue] + instanceIDs + statuses))
        for row in totals {
            let id: String = row["containerInstanceId"]
            var u = usage[id] ?? ContainerInstanceUsage()
            u.reservedCPU = row["cpu"]
            u.reservedMemory = row["memory"]
            u.activeTasks = row["active"]
            u.runningTasks = row["running"]
            u.pendingTasks = row["pending"]
            usage[id] = u
        }
        // Port lists are JSON arrays; rows whose lists are both empty add nothing.
        let ported = try Row.fetchAll(db, sql: """
            SELECT containerInstanceId, reservedPorts, reservedUDPPorts
            \(scope) AND (reservedPorts != '[]' OR reservedUDPPorts != '[]')
            """, arguments: StatementArguments(instanceIDs + statuses))
        let decoder = JSONDecoder()
        for row in ported {
            let id: String = row["containerInstanceId"]
            let tcp: String = row["reservedPorts"]
            let udp: String = row["reservedUDPPorts"]
            usage[id, default: ContainerInstanceUsage()].tcpPorts.formUnion(try decoder.decode([Int].self, from: Data(tcp.utf8)))
            usage[id, default: ContainerInstanceUsage()].udpPorts.formUnion(try decoder.decode([Int].self, from: Data(udp.utf8)))
        }
        return usage
    }
}
