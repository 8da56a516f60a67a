import GRDB

/// Turns container instance rows into ECS's `ContainerInstance`, with remaining resources and
/// task counts computed from the tasks placed on them.
enum ContainerInstanceRendering {
    /// Renders `records` in order. `withTags`: include `tags`; `withHealth`: include `healthStatus`.
    static func render(_ db: Database, _ records: [ContainerInstanceRecord], withTags: Bool,
                       withHealth: Bool = false) throws -> [ECSContainerInstance] {
        let usage = try ContainerInstanceUsage.fetch(db, instanceIDs: records.map(\.id))
        return try records.map { record in
            let attributes = try AttributeRecord.forContainerInstance(db, id: record.id)
            let tags = withTags ? try TagRecord.tags(db, resourceArn: record.arn) : nil
            return render(record, usage: usage[record.id] ?? ContainerInstanceUsage(), attributes: attributes,
                          tags: tags, withHealth: withHealth)
        }
    }

    /// One instance with its tags, as Register/DeregisterContainerInstance answer.
    static func renderOne(_ db: Database, _ record: ContainerInstanceRecord) throws -> ECSContainerInstance {
        let usage = try ContainerInstanceUsage.fetch(db, instanceIDs: [record.id])[record.id] ?? ContainerInstanceUsage()
        return render(record, usage: usage, attributes: try AttributeRecord.forContainerInstance(db, id: record.id),
                      tags: try TagRecord.tags(db, resourceArn: record.arn), withHealth: false)
    }

    static func render(_ record: ContainerInstanceRecord, usage: ContainerInstanceUsage, attributes: [AttributeRecord],
                       tags: [ECSTag]?, withHealth: Bool) -> ECSContainerInstance {
        var instance = ECSContainerInstance()
        instance.containerInstanceArn = record.arn
        instance.ec2InstanceId = record.ec2InstanceId
        instance.capacityProviderName = record.capacityProviderName
        instance.version = record.version
        instance.versionInfo = record.versionInfo
        instance.registeredResources = record.registeredResources.map(\.normalized)
        instance.remainingResources = remaining(record, usage)
        instance.status = record.status.rawValue
        instance.statusReason = record.statusReason
        instance.agentConnected = record.agentConnected
        instance.runningTasksCount = usage.runningTasks
        instance.pendingTasksCount = usage.pendingTasks
        instance.agentUpdateStatus = record.agentUpdateStatus
        instance.attributes = attributes.map { ECSAttribute(name: $0.name, value: $0.value) }
        instance.registeredAt = record.registeredAt
        instance.attachments = []
        instance.tags = tags
        if withHealth {
            // Wharf's only signal of an instance's health is whether its agent is connected.
            instance.healthStatus = .init(overallStatus: record.agentConnected ? "OK" : "IMPAIRED", details: [])
        }
        return instance
    }

    /// Registered resources minus what the instance's tasks reserve: CPU and MEMORY decrease,
    /// PORTS and PORTS_UDP gain the host ports the tasks hold (ECS lists the ports that are
    /// taken, not the ones that are free).
    static func remaining(_ record: ContainerInstanceRecord, _ usage: ContainerInstanceUsage) -> [ECSResource] {
        func ports(_ registered: [String], _ used: Set<Int>) -> [String] {
            let known = Set(registered)
            return registered + used.sorted().map(String.init).filter { !known.contains($0) }
        }
        var result: [ECSResource] = []
        var sawPorts = false, sawUDP = false
        for resource in record.registeredResources {
            var r = resource.normalized
            switch resource.name {
            case ECSResource.cpuName: r.integerValue = (resource.integerValue ?? 0) - usage.reservedCPU
            case ECSResource.memoryName: r.integerValue = (resource.integerValue ?? 0) - usage.reservedMemory
            case ECSResource.portsName:
                sawPorts = true
                r.stringSetValue = ports(resource.stringSetValue ?? [], usage.tcpPorts)
            case ECSResource.udpPortsName:
                sawUDP = true
                r.stringSetValue = ports(resource.stringSetValue ?? [], usage.udpPorts)
            default: break
            }
            result.append(r)
        }
        if !sawPorts, !usage.tcpPorts.isEmpty { result.append(.stringSet(ECSResource.portsName, ports([], usage.tcpPorts))) }
        if !sawUDP, !usage.udpPorts.isEmpty { result.append(.stringSet(ECSResource.udpPortsName, ports([], usage.udpPorts))) }
        return result
    }
}
