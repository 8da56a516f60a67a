import GRDB
import Scheduler

/// Container instances as the scheduler sees them, read inside the launch's write transaction
/// so that what is placed and what is recorded cannot diverge between two concurrent launches.
enum TaskPlacementCandidates {
    /// The instances of `cluster` that are registered (any status but INACTIVE).
    static func ofCluster(_ db: Database, cluster: String) throws -> [ContainerInstanceRecord] {
        try ContainerInstanceRecord
            .filter(Column("clusterName") == cluster && Column("status") != ECSContainerInstanceStatus.inactive)
            .order(Column("registeredAt"), Column("id"))
            .fetchAll(db)
    }

    /// The ACTIVE instances, in any cluster, whose hosts offer their capacity to FARGATE tasks.
    static func fargateCapacity(_ db: Database) throws -> [ContainerInstanceRecord] {
        try ContainerInstanceRecord
            .filter(Column("status") == ECSContainerInstanceStatus.active)
            .filter(sql: "id IN (SELECT targetId FROM attribute WHERE targetType = ? AND name = ?)",
                    arguments: [ECSAttribute.containerInstanceTargetType, AgentCapabilities.fargateCapacity])
            .order(Column("registeredAt"), Column("id"))
            .fetchAll(db)
    }

    /// Scheduler candidates for `records`: remaining resources, used ports, attributes and the
    /// tasks per group of every task still holding resources on them.
    static func candidates(_ db: Database, _ records: [ContainerInstanceRecord]) throws -> [ContainerInstanceCandidate] {
        let ids = records.map(\.id)
        let usage = try ContainerInstanceUsage.fetch(db, instanceIDs: ids)
        var groups: [String: [String: Int]] = [:]
        if !ids.isEmpty {
            let statuses = TaskRecord.resourceHoldingStatuses
            let rows = try Row.fetchAll(db, sql: """
                SELECT containerInstanceId, "group", COUNT(*) AS n FROM task
                WHERE containerInstanceId IN (\(ids.map { _ in "?" }.joined(separator: ",")))
                  AND lastStatus IN (\(statuses.map { _ in "?" }.joined(separator: ",")))
                GROUP BY containerInstanceId, "group"
                """, arguments: StatementArguments(ids + statuses))
            for row in rows {
                let instance: String = row["containerInstanceId"]
                let group: String? = row["group"]
                let count: Int = row["n"]
                guard let group else { continue }
                groups[instance, default: [:]][group] = count
            }
        }
        return try records.map { record in
            let used = usage[record.id] ?? ContainerInstanceUsage()
            var ports: Set<HostPort> = []
            for port in record.registeredStringSet(ECSResource.portsName).compactMap(UInt16.init) { ports.insert(HostPort(port, .tcp)) }
            for port in record.registeredStringSet(ECSResource.udpPortsName).compactMap(UInt16.init) { ports.insert(HostPort(port, .udp)) }
            for port in used.tcpPorts { if let p = UInt16(exactly: port) { ports.insert(HostPort(p, .tcp)) } }
            for port in used.udpPorts { if let p = UInt16(exactly: port) { ports.insert(HostPort(p, .udp)) } }
            var attributes: [String: String?] = [:]
            for attribute in try AttributeRecord.forContainerInstance(db, id: record.id) {
                attributes[attribute.name] = .some(attribute.value)
            }
            return ContainerInstanceCandidate(
                arn: record.arn, id: record.id, ec2InstanceId: record.ec2InstanceId,
                status: ContainerInstanceCandidate.Status(rawValue: record.status.rawValue) ?? .inactive,
                agentConnected: record.agentConnected, agentVersion: record.versionInfo.agentVersion,
                registeredAt: Int64(record.registeredAt),
                remainingCPU: record.registeredInteger(ECSResource.cpuName) - used.reservedCPU,
                remainingMemory: record.registeredInteger(ECSResource.memoryName) - used.reservedMemory,
                usedPorts: ports, attributes: attributes, taskGroupCounts: groups[record.id] ?? [:],
                runningTasksCount: used.activeTasks)
        }
    }
}
