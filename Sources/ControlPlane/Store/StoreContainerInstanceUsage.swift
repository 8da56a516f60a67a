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
    /// Sums, counts and the port lists (expanded with `json_each`) all come from SQLite; no task
    /// row is decoded. (RunTask reads this inside its write transaction, on instances that
    /// may hold a thousand tasks: decoding every task row there was most of RunTask's time.)
    public static func fetch(_ db: Database, instanceIDs: [String]) throws -> [String: ContainerInstanceUsage] {
        var usage: [String: ContainerInstanceUsage] = [:]
        for id in instanceIDs { usage[id] = ContainerInstanceUsage() }
        guard !instanceIDs.isEmpty else { return usage }
        let statuses = TaskRecord.resourceHoldingStatuses
        let scope = """
            FROM task WHERE containerInstanceId IN (\(placeholders(instanceIDs.count)))
              AND lastStatus IN (\(placeholders(statuses.count)))
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
        // Port lists are JSON arrays: SQLite expands them, so empty lists add no rows whatever
        // their spelling.
        let portLists: [(column: String, ports: WritableKeyPath<ContainerInstanceUsage, Set<Int>>)] = [
            ("reservedPorts", \.tcpPorts), ("reservedUDPPorts", \.udpPorts),
        ]
        for (column, ports) in portLists {
            let rows = try Row.fetchAll(db, sql: """
                SELECT DISTINCT task.containerInstanceId AS instance, port.value AS port
                FROM task, json_each(task.\(column)) AS port
                WHERE task.containerInstanceId IN (\(placeholders(instanceIDs.count)))
                  AND task.lastStatus IN (\(placeholders(statuses.count)))
                """, arguments: StatementArguments(instanceIDs + statuses))
            for row in rows {
                let id: String = row["instance"]
                let port: Int = row["port"]
                usage[id, default: ContainerInstanceUsage()][keyPath: ports].insert(port)
            }
        }
        return usage
    }

    /// `count` SQL parameter markers separated by commas, for an `IN (...)` list.
    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }
}
