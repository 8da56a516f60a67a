@testable import Scheduler
import XCTest

/// Container instances and requirements for the scheduler tests.
enum Fixture {
    static func arn(_ number: Int) -> String {
        "arn:aws:ecs:us-east-1:000000000000:container-instance/wharf/ci-\(number)"
    }

    static func instance(
        _ number: Int, cpu: Int = 4096, memory: Int = 8192, az: String? = "us-east-1a", type: String? = "m5.large",
        status: ContainerInstanceCandidate.Status = .active, agentConnected: Bool = true,
        usedPorts: Set<HostPort> = [], groups: [String: Int] = [:], extra: [String: String?] = [:]
    ) -> ContainerInstanceCandidate {
        var attributes: [String: String?] = extra
        if let az { attributes[InstanceAttributeName.availabilityZone] = .some(az) }
        if let type { attributes[InstanceAttributeName.instanceType] = .some(type) }
        attributes[InstanceAttributeName.osType] = .some("linux")
        attributes[InstanceAttributeName.cpuArchitecture] = .some("x86_64")
        return ContainerInstanceCandidate(
            arn: arn(number), ec2InstanceId: "i-\(number)", status: status, agentConnected: agentConnected,
            agentVersion: "1.51.0", registeredAt: 1_700_000_000 + Int64(number), remainingCPU: cpu, remainingMemory: memory,
            usedPorts: usedPorts, attributes: attributes, taskGroupCounts: groups)
    }

    static func task(cpu: Int = 256, memory: Int = 512, group: String? = nil, ports: [HostPort] = [], requires: [RequiredAttribute] = [])
        -> TaskRequirement
    {
        TaskRequirement(family: "web", group: group, cpu: cpu, memory: memory, hostPorts: ports, requiredAttributes: requires)
    }

    static func query(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> ClusterQuery {
        do {
            return try ClusterQuery(parsing: source)
        } catch {
            XCTFail("'\(source)' did not parse: \(error)", file: file, line: line)
            return try! ClusterQuery(parsing: "attribute:never exists")
        }
    }

    static func memberOf(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> PlacementConstraint {
        .memberOf(query(source, file: file, line: line))
    }

    /// Instance numbers (from the ARN) of the placements, in task order.
    static func numbers(_ result: PlacementResult) -> [Int] {
        result.placements.map { Int($0.instanceId.dropFirst("ci-".count)) ?? -1 }
    }

    /// Tasks placed per instance number.
    static func histogram(_ result: PlacementResult) -> [Int: Int] {
        numbers(result).reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}
