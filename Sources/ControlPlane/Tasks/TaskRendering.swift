import GRDB

/// Turns task rows into ECS's `Task`.
enum TaskRendering {
    /// The Fargate platform version Wharf reports (`LATEST` resolves to it).
    static let fargatePlatformVersion = "1.4.0"
    /// The Linux platform versions a FARGATE launch may name (`LATEST` is the current one); any
    /// other is PlatformUnknownException, as on ECS.
    static let fargatePlatformVersions: Set<String> = ["LATEST", fargatePlatformVersion, "1.3.0"]
    /// The platform family of Linux Fargate tasks.
    static let fargatePlatformFamily = "Linux"

    /// Renders `records` in order; `withTags` adds each task's tags.
    static func render(_ db: Database, _ records: [TaskRecord], withTags: Bool) throws -> [ECSTask] {
        try sources(db, records, withTags: withTags).map(render)
    }

    /// What rendering each of `records` takes from the store, in order: the row, its
    /// instance's ARN and, if `withTags`, its tags.
    static func sources(_ db: Database, _ records: [TaskRecord], withTags: Bool) throws -> [TaskJSONCache.Source] {
        // Only the ARN of each instance, one cached statement per instance (tasks share a few
        // instances): decoding whole instance rows (their JSON resources and attributes) was
        // most of DescribeTasks' cost.
        var instanceArns: [String: String] = [:]
        let instanceIDs = Set(records.compactMap(\.containerInstanceId))
        if !instanceIDs.isEmpty {
            let statement = try db.cachedStatement(sql: "SELECT arn FROM \(ContainerInstanceRecord.databaseTableName) WHERE id = ?")
            for id in instanceIDs {
                instanceArns[id] = try String.fetchOne(statement, arguments: [id])
            }
        }
        return try records.map { record in
            TaskJSONCache.Source(record: record, containerInstanceArn: record.containerInstanceId.flatMap { instanceArns[$0] },
                                 tags: withTags ? try TagRecord.tags(db, resourceArn: record.arn) : [])
        }
    }

    /// The task `source` describes.
    static func render(_ source: TaskJSONCache.Source) -> ECSTask {
        render(source.record, document: source.record.decodedDocument, containerInstanceArn: source.containerInstanceArn,
               tags: source.tags)
    }

    /// The task status ECS shows. PROVISIONING and DEPROVISIONING are an awsvpc task's steps
    /// (attaching and releasing its network interface); any other task goes from PENDING, and
    /// from STOPPING to STOPPED, without them. Wharf's lifecycle walks them for every task, so
    /// another task shows PENDING and STOPPING there. A document without a network mode is
    /// shown as it is recorded.
    static func shownStatus(_ status: ECSTaskStatus, networkMode: String?) -> String {
        guard let networkMode, networkMode != "awsvpc" else { return status.rawValue }
        switch status {
        case .provisioning: return ECSTaskStatus.pending.rawValue
        case .deprovisioning: return ECSTaskStatus.stopping.rawValue
        default: return status.rawValue
        }
    }

    static func render(_ record: TaskRecord, document: TaskDocument, containerInstanceArn: String?, tags: [ECSTag]?) -> ECSTask {
        var task = ECSTask()
        task.taskArn = record.arn
        task.clusterArn = clusterArn(ofTask: record.arn, clusterName: record.clusterName)
        task.taskDefinitionArn = record.taskDefinitionArn
        let fargate = record.launchType == .fargate
        // Fargate tasks run on Wharf's hosts too, but ECS shows no instance for them.
        task.containerInstanceArn = fargate ? nil : containerInstanceArn
        task.lastStatus = shownStatus(record.lastStatus, networkMode: document.networkMode)
        task.desiredStatus = record.desiredStatus.rawValue
        task.launchType = record.launchType.rawValue
        task.capacityProviderName = document.capacityProviderName
        task.cpu = document.cpu
        task.memory = document.memory
        task.createdAt = record.createdAt
        task.startedAt = record.startedAt
        task.stoppingAt = record.stoppingAt
        task.stoppedAt = record.stoppedAt
        task.stopCode = record.stopCode
        task.stoppedReason = record.stoppedReason
        task.pullStartedAt = document.pullStartedAt
        task.pullStoppedAt = document.pullStoppedAt
        task.executionStoppedAt = document.executionStoppedAt
        task.group = record.group
        task.startedBy = record.startedBy
        task.version = record.version
        task.healthStatus = document.healthStatus ?? "UNKNOWN"
        task.inferenceAccelerators = []
        task.availabilityZone = document.availabilityZone
        // Connected from the host's first report on, and still shown so once STOPPED.
        task.connectivity = document.connectivityAt == nil ? nil : "CONNECTED"
        task.connectivityAt = document.connectivityAt
        task.enableExecuteCommand = document.enableExecuteCommand ?? false
        task.tags = tags
        if let architecture = document.cpuArchitecture {
            task.attributes = [ECSAttribute(name: "ecs.cpu-architecture", value: architecture)]
        }
        if fargate {
            task.platformVersion = document.platformVersion ?? fargatePlatformVersion
            task.platformFamily = fargatePlatformFamily
            task.ephemeralStorage = document.ephemeralStorage ?? TaskDefinition.EphemeralStorage(sizeInGiB: 20)
            task.fargateEphemeralStorage = task.ephemeralStorage
        }
        task.overrides = overrides(document)
        task.attachments = document.attachment.map { [attachment($0, taskArn: record.arn)] } ?? []
        task.containers = document.containers.map { container($0, task: record, document: document) }
        return task
    }

    /// `arn:...:cluster/NAME` in the task ARN's partition, region and account: the task ARN's
    /// `arn:PARTITION:ecs:REGION:ACCOUNT:` prefix reused as it is, once ``ECSARN`` accepts the
    /// ARN as a task's; nil if it does not.
    static func clusterArn(ofTask taskArn: String, clusterName: String) -> String? {
        guard let parts = ECSARN.Parts(parsing: taskArn), case .task? = ECSARN.Resource(parsing: parts.resource) else { return nil }
        return String(taskArn[..<parts.resource.startIndex]) + "cluster/" + clusterName
    }

    private static func overrides(_ document: TaskDocument) -> ECSTaskOverrides {
        var result = ECSTaskOverrides()
        let given = document.overrides
        result.containerOverrides = document.containers.map { container in
            given?.containerOverrides?.first { $0.name == container.name } ?? ContainerOverride(name: container.name)
        }
        result.cpu = given?.cpu
        result.memory = given?.memory
        result.taskRoleArn = given?.taskRoleArn
        result.executionRoleArn = given?.executionRoleArn
        result.ephemeralStorage = given?.ephemeralStorage
        result.inferenceAcceleratorOverrides = []
        return result
    }

    /// The task's ENI as ECS shows it: a PRECREATED one names only its subnet; once attached,
    /// its interface, MAC address, DNS name (EC2's form, `ip-A-B-C-D.ec2.internal` in us-east-1 and
    /// `ip-A-B-C-D.REGION.compute.internal` elsewhere) and address.
    private static func attachment(_ eni: TaskENIAttachment, taskArn: String) -> ECSAttachment {
        var details = [ECSKeyValuePair(name: "subnetId", value: eni.subnetId ?? "")]
        guard eni.status != "PRECREATED" else {
            return ECSAttachment(id: eni.id, type: "ElasticNetworkInterface", status: eni.status, details: details)
        }
        details.append(ECSKeyValuePair(name: "networkInterfaceId", value: eni.networkInterfaceId))
        if let mac = eni.macAddress { details.append(ECSKeyValuePair(name: "macAddress", value: mac)) }
        if let name = eni.privateDnsName {
            details.append(ECSKeyValuePair(name: "privateDnsName", value: privateDnsName(name, taskArn: taskArn)))
        }
        if let address = eni.privateIPv4Address { details.append(ECSKeyValuePair(name: "privateIPv4Address", value: address)) }
        return ECSAttachment(id: eni.id, type: "ElasticNetworkInterface", status: eni.status, details: details)
    }

    /// `hostname` (the task's `ip-A-B-C-D`) with EC2's internal DNS suffix for the task's region.
    static func privateDnsName(_ hostname: String, taskArn: String) -> String {
        guard !hostname.contains("."), let region = ECSARN.Parts(parsing: taskArn)?.region else { return hostname }
        return hostname + (region == "us-east-1" ? ".ec2.internal" : ".\(region).compute.internal")
    }

    private static func container(_ state: TaskContainerState, task: TaskRecord, document: TaskDocument) -> ECSTaskContainer {
        var container = ECSTaskContainer()
        container.containerArn = state.containerArn
        container.taskArn = task.arn
        container.name = state.name
        container.image = state.image
        container.imageDigest = state.imageDigest
        container.runtimeId = document.runtimeTaskID.map { "\($0)/\(state.name)" }
        container.lastStatus = state.lastStatus
        container.exitCode = state.exitCode
        container.reason = state.reason
        container.healthStatus = state.healthStatus
        container.cpu = String(state.cpu)
        container.memory = state.memory.map(String.init)
        container.memoryReservation = state.memoryReservation.map(String.init)
        if let eni = document.attachment, let address = eni.privateIPv4Address {
            container.networkInterfaces = [ECSNetworkInterface(attachmentId: eni.id, privateIpv4Address: address)]
        } else {
            container.networkInterfaces = []
        }
        // Host ports are bound only in host and bridge mode, and only while the container runs
        // (a bridge-mode port once the host has published it: dynamic ones have no number before).
        if document.networkMode == "host" || document.networkMode == "bridge", state.lastStatus == "RUNNING" {
            container.networkBindings = state.portMappings.filter { document.networkMode == "host" || $0.hostPort != nil }.map {
                ECSNetworkBinding(bindIP: "0.0.0.0", containerPort: $0.containerPort, hostPort: $0.hostPort ?? $0.containerPort,
                                  protocol: $0.transport)
            }
        } else {
            container.networkBindings = []
        }
        return container
    }
}
