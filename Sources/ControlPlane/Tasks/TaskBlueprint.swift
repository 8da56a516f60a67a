import Foundation
import Runtime
import Scheduler

/// Everything the tasks of one launch share, worked out once from the task definition revision
/// and the request: the definition with overrides applied, what each task reserves on its
/// instance, and the document each new task row starts from.
struct TaskBlueprint {
    let definition: TaskDefinitionRecord
    /// The definition with the request's overrides applied.
    let effective: TaskDefinition
    let requirement: TaskRequirement
    /// The task definition's own placement constraints (memberOf).
    let definitionConstraints: [Scheduler.PlacementConstraint]
    let hostTCPPorts: [Int]
    let hostUDPPorts: [Int]
    let networkMode: String

    /// Checks the request against the revision as RunTask does and works out the blueprint.
    init(definition: TaskDefinitionRecord, request: TaskLaunchRequest) throws(ECSError) {
        self.definition = definition
        let td = definition.rendered
        networkMode = td.networkMode ?? "bridge"
        let launchType = request.launchType
        if !(td.compatibilities ?? ["EC2"]).contains(launchType.rawValue) {
            throw ECSError(.invalidParameterException, "Task definition does not support launch_type \(launchType.rawValue).")
        }
        if networkMode == "awsvpc" {
            guard request.networkConfiguration != nil else {
                throw ECSError(.invalidParameterException, "Network Configuration must be provided when networkMode 'awsvpc' is specified.")
            }
        } else if request.networkConfiguration != nil {
            throw ECSError(.invalidParameterException, "Network Configuration is not valid for the given networkMode of this task definition.")
        }
        if launchType == .fargate, let version = request.platformVersion,
            !TaskRendering.fargatePlatformVersions.contains(version) {
            throw ECSError(.platformUnknownException, "The specified platform version does not exist: \(version).")
        }
        if launchType != .fargate, request.networkConfiguration?.awsvpcConfiguration?.assignPublicIp == "ENABLED" {
            throw ECSError(.invalidParameterException, "Assign public IP is not supported for this launch type.")
        }
        // The whole mapping, overrides included, as the host will do it: refusals surface now
        // (the agent maps the definition again on its side of the boundary).
        do {
            effective = try td.withOverrides(request.overrides)
            _ = try effective.mappedTaskSpec(revision: definition.revision)
        } catch {
            throw ECSError(ECSAPI.kind(of: error.code), error.message)
        }

        let taskCPU = effective.cpu.flatMap(TaskSize.cpuUnits)
        let taskMemory = effective.memory.flatMap(TaskSize.memoryMiB)
        if launchType == .fargate {
            guard let cpu = taskCPU, let memory = taskMemory, TaskSize.isValidFargate(cpu: cpu, memory: memory) else {
                throw ECSError(.invalidParameterException,
                               "No Fargate configuration exists for given values: \(taskCPU.map(String.init) ?? "-") CPU, \(taskMemory.map(String.init) ?? "-") memory. See the Amazon ECS documentation for the valid values.")
            }
        }
        var tcp: [Int] = [], udp: [Int] = []
        var reservations: [ContainerReservation] = []
        for container in effective.containerDefinitions ?? [] {
            var ports: [HostPort] = []
            // Host mode binds its ports on the host, bridge mode publishes them there; a bridge
            // mapping without a host port gets a dynamic one, which the placement does not
            // reserve (ECS neither). awsvpc gives every task its own address.
            if networkMode == "host" || networkMode == "bridge" {
                for mapping in (container.portMappings ?? []).flatMap(\.runtimePortMappings) {
                    guard let port = networkMode == "host" ? mapping.hostPort ?? mapping.containerPort : mapping.hostPort else { continue }
                    guard let value = UInt16(exactly: port) else { continue }
                    if mapping.transportProtocol == .udp {
                        udp.append(port)
                        ports.append(HostPort(value, .udp))
                    } else {
                        tcp.append(port)
                        ports.append(HostPort(value, .tcp))
                    }
                }
            }
            reservations.append(ContainerReservation(cpu: container.cpu, memory: container.memory,
                                                     memoryReservation: container.memoryReservation, hostPorts: ports))
        }
        hostTCPPorts = tcp
        hostUDPPorts = udp
        // Fargate tasks need no instance attributes: Wharf's hosts run them as they are.
        let required = launchType == .fargate ? [] : (td.requiresAttributes ?? []).compactMap { attribute in
            attribute.name.map { RequiredAttribute(name: $0, value: attribute.value) }
        }
        requirement = TaskRequirement(
            family: definition.family, group: request.group, taskCPU: taskCPU, taskMemory: taskMemory,
            containers: reservations, requiredAttributes: required)
        var constraints: [Scheduler.PlacementConstraint] = []
        for constraint in td.placementConstraints ?? [] {
            do {
                constraints.append(try Scheduler.PlacementConstraint(type: constraint.type ?? "", expression: constraint.expression))
            } catch {
                throw ECSError(.invalidParameterException, error.message)
            }
        }
        definitionConstraints = launchType == .fargate ? [] : constraints
    }

    /// The document of a new task of this launch, placed on `instance`.
    func document(taskID: String, clusterName: String, context: ECSRequestContext, request: TaskLaunchRequest,
                  instance: ContainerInstanceCandidate?) -> TaskDocument {
        var document = TaskDocument()
        document.family = definition.family
        document.revision = definition.revision
        document.cpu = effective.cpu
        document.memory = effective.memory
        document.networkMode = networkMode
        document.overrides = request.overrides
        let containerPrefix = "arn:\(context.partition):ecs:\(context.region):\(context.accountID):container/\(clusterName)/\(taskID)/"
        document.containers = (effective.containerDefinitions ?? []).map { container in
            TaskContainerState(
                containerArn: containerPrefix + UUID().uuidString.lowercased(), name: container.name ?? "",
                image: container.image ?? "", essential: container.essential ?? true, cpu: container.cpu ?? 0,
                memory: container.memory, memoryReservation: container.memoryReservation,
                portMappings: (container.portMappings ?? []).flatMap(\.runtimePortMappings).map {
                    TaskPortMapping(containerPort: $0.containerPort, hostPort: $0.hostPort, transport: $0.transportProtocol.rawValue)
                },
                lastStatus: "PENDING", exitCode: nil, reason: nil, healthStatus: "UNKNOWN")
        }
        if networkMode == "awsvpc" {
            document.attachment = TaskENIAttachment(
                id: UUID().uuidString.lowercased(), status: "PRECREATED",
                subnetId: request.networkConfiguration?.awsvpcConfiguration?.subnets?.first,
                networkInterfaceId: "eni-" + taskID.prefix(LocalHostFacts.instanceIDDigits), privateDnsName: nil,
                privateIPv4Address: nil)
        }
        document.networkConfiguration = request.networkConfiguration
        document.availabilityZone = instance?.attributes[InstanceAttributeName.availabilityZone] ?? nil
        document.cpuArchitecture = instance?.attributes[InstanceAttributeName.cpuArchitecture] ?? nil
        document.enableExecuteCommand = request.enableExecuteCommand
        document.capacityProviderName = request.capacityProviderName
        if request.launchType == .fargate {
            let version = request.platformVersion ?? "LATEST"
            document.platformVersion = version == "LATEST" ? TaskRendering.fargatePlatformVersion : version
            document.ephemeralStorage = effective.ephemeralStorage ?? TaskDefinition.EphemeralStorage(sizeInGiB: 20)
        }
        document.loadBalancers = request.loadBalancers
        document.healthStatus = "UNKNOWN"
        return document
    }
}
