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
    public static func fetch(_ db: Database, instanceIDs: [String]) throws -> [String: ContainerInstanceUsage] {
        var usage: [String: ContainerInstanceUsage] = [:]
        for id in instanceIDs { usage[id] = ContainerInstanceUsage() }
        guard !instanceIDs.isEmpty else { return usage }
        let tasks = try TaskRecord
            .filter(instanceIDs.contains(Column("containerInstanceId")))
            .filter(TaskRecord.resourceHoldingStatuses.contains(Column("lastStatus")))
            .fetchAll(db)
        for task in tasks {
            guard let id = task.containerInstanceId else { continue }
            var u = usage[id] ?? ContainerInstanceUsage()
            u.reservedCPU += task.reservedCPU
            u.reservedMemory += task.reservedMemory
            u.tcpPorts.formUnion(task.reservedPorts)
            u.udpPorts.formUnion(task.reservedUDPPorts)
            u.activeTasks += 1
            if task.desiredStatus == .running { u.runningTasks += 1 }
            if task.lastStatus == .pending { u.pendingTasks += 1 }
            usage[id] = u
        }
        return usage
    }
}
