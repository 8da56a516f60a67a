import Foundation
import GRDB

/// A host registered as a container instance.
public struct RegisteredHost: Sendable, Equatable {
    public var clusterName: String
    public var containerInstanceArn: String
    /// The container instance ID (the end of its ARN); task rows name their instance by it.
    public var containerInstanceID: String
    public var ec2InstanceId: String
}

extension ECSAPI {
    /// Registers `host` as a container instance of `cluster`, as the ECS agent does when it
    /// starts: the cluster is created if it does not exist (or was deleted), and a host that
    /// registered before under the same instance ID gets its container instance back (same ARN,
    /// `version + 1`, resources and agent attributes replaced) instead of a second one, also when
    /// it had been deregistered.
    public func registerHost(_ host: AgentHostDescription, cluster: String = "default",
                             context: ECSRequestContext) throws(ECSError) -> RegisteredHost {
        let active = try snapshot { db in try ClusterRecord.find(db, name: cluster)?.status == .active }
        if !active {
            _ = try createCluster(CreateClusterRequest(clusterName: cluster), context)
        }
        let previous = try snapshot { db in
            try ContainerInstanceRecord
                .filter(Column("clusterName") == cluster && Column("ec2InstanceId") == host.instanceID)
                .order(Column("registeredAt").desc)
                .fetchAll(db)
        }
        // The live registration if there is one, else the latest deregistered one to revive.
        let existing = previous.first { $0.status != .inactive } ?? previous.first
        let identity: [String: String] = [
            "instanceId": host.instanceID, "region": host.region, "availabilityZone": host.availabilityZone,
            "instanceType": host.instanceType, "architecture": host.cpuArchitecture,
        ]
        let identityDocument = (try? JSONSerialization.data(withJSONObject: identity, options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) }
        let request = RegisterContainerInstanceRequest(
            cluster: cluster, instanceIdentityDocument: identityDocument, instanceIdentityDocumentSignature: nil,
            totalResources: [
                .integer(ECSResource.cpuName, host.cpuUnits),
                .integer(ECSResource.memoryName, host.memoryMiB),
                .stringSet(ECSResource.portsName, host.reservedTCPPorts.map(String.init)),
                .stringSet(ECSResource.udpPortsName, host.reservedUDPPorts.map(String.init)),
            ],
            versionInfo: ECSVersionInfo(agentVersion: host.agentVersion, agentHash: host.agentHash,
                                        dockerVersion: host.runtimeVersion),
            containerInstanceArn: existing?.arn,
            attributes: host.attributes.map { ECSAttribute(name: $0.name, value: $0.value) },
            platformDevices: nil, tags: nil)
        let response = try registerContainerInstance(request, context)
        guard let arn = response.containerInstance.containerInstanceArn,
              let parsed = ECSARN(parsing: arn), case .containerInstance(_, let id) = parsed.resource
        else {
            throw ECSError(.serverException, "RegisterContainerInstance answered without a container instance ARN.")
        }
        return RegisteredHost(clusterName: cluster, containerInstanceArn: arn, containerInstanceID: id,
                              ec2InstanceId: host.instanceID)
    }
}
