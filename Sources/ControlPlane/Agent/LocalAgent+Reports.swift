import Foundation
import Runtime

extension LocalAgent {
    /// A runtime status in the agent's terms.
    static func report(taskID: String, status: TaskStatus) -> AgentTaskReport {
        var report = AgentTaskReport(
            taskID: taskID, runtimeTaskID: status.id,
            status: AgentTaskReport.Status(rawValue: status.lastStatus) ?? .pending,
            address: status.address, hostname: status.hostname,
            containers: status.containers.map { container in
                var reported = AgentContainerReport(
                    name: container.name, image: container.image, imageDigest: container.imageDigest,
                    essential: container.essential,
                    lastStatus: AgentContainerReport.Status(rawValue: container.lastStatus) ?? .pending,
                    exitCode: container.exitCode, reason: container.reason, healthStatus: container.healthStatus,
                    startedAt: container.startedAt, stoppedAt: container.stoppedAt)
                reported.networkBindings = status.portBindings.filter { $0.containerName == container.name }.map {
                    AgentNetworkBinding(containerPort: $0.containerPort, hostPort: $0.hostPort, transport: $0.transportProtocol.rawValue)
                }
                return reported
            },
            stoppedReason: status.stoppedReason, stopCode: status.stopCode, createdAt: status.createdAt,
            networkReadyAt: status.networkReadyAt, startedAt: status.startedAt, stoppingAt: status.stoppingAt,
            stoppedAt: status.stoppedAt)
        report.macAddress = status.macAddress
        return report
    }

    /// The `stoppedReason` ECS records for a task whose launch failed, by the runtime's error:
    /// a missing image is ECS's CannotPullContainerError, a spec the runtime refuses its
    /// CannotCreateContainerError, a host failure while creating the task's network, cgroups or
    /// supervisor its ResourceInitializationError.
    static func stoppedReason(launchError error: RuntimeError) -> String {
        switch error {
        case .imageNotFound(_, let image, let underlying):
            return "CannotPullContainerError: failed to resolve ref \(image): \(underlying)"
        case .invalidSpec(let field, let message):
            return "CannotCreateContainerError: \(field): \(message)"
        case .launchFailed(_, let underlying):
            return "ResourceInitializationError: \(underlying)"
        default:
            return "ResourceInitializationError: \(error)"
        }
    }
}

extension LocalHostFacts {
    /// The host as ``LocalAgent`` registers it.
    static func describe(_ configuration: LocalAgentConfiguration) throws(AgentError) -> AgentHostDescription {
        let architecture = cpuArchitecture()
        let zone = configuration.availabilityZone ?? configuration.region + "a"
        let instanceID: String
        if let configured = configuration.instanceID {
            instanceID = configured
        } else {
            instanceID = try Self.instanceID()
        }
        var attributes: [AgentAttribute] = [
            AgentAttribute(name: "ecs.os-type", value: "linux"),
            AgentAttribute(name: "ecs.os-family", value: "LINUX"),
            AgentAttribute(name: "ecs.cpu-architecture", value: architecture),
            AgentAttribute(name: "ecs.availability-zone", value: zone),
            AgentAttribute(name: "ecs.instance-type", value: configuration.instanceType),
        ]
        attributes += AgentCapabilities.local.map { AgentAttribute(name: $0) }
        if configuration.offersFargateCapacity { attributes.append(AgentAttribute(name: AgentCapabilities.fargateCapacity)) }
        return AgentHostDescription(
            instanceID: instanceID, cpuUnits: cpuUnits(),
            memoryMiB: max(0, try memoryMiB() - configuration.reservedMemoryMiB),
            reservedTCPPorts: configuration.reservedTCPPorts, reservedUDPPorts: configuration.reservedUDPPorts,
            attributes: attributes, agentVersion: LocalAgent.version, agentHash: "wharf",
            runtimeVersion: "WharfRuntime: \(LocalAgent.version)", availabilityZone: zone,
            instanceType: configuration.instanceType, region: configuration.region, cpuArchitecture: architecture)
    }
}

extension LocalAgent {
    /// The agent version the host registers with (`versionInfo.agentVersion`).
    public static let version = "1.0.0"
}
