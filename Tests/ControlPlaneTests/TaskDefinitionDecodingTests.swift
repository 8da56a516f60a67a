import Foundation
import Testing
@testable import ControlPlane

@Suite("TaskDefinition decoding and encoding")
struct TaskDefinitionDecodingTests {
    @Test func decodesRealisticDefinition() throws {
        let td = try TaskDefinitionFixtures.webWithSidecarDefinition
        #expect(td.family == "web-app")
        #expect(td.networkMode == "awsvpc")
        #expect(td.cpu == "0.5 vCPU")
        #expect(td.memory == "1 GB")
        #expect(td.requiresCompatibilities == ["EC2"])
        #expect(td.runtimePlatform == .init(cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX"))
        #expect(td.tags == [.init(key: "team", value: "edge")])
        #expect(td.volumes?.count == 2)
        #expect(td.volumes?[0].host?.sourcePath == "/srv/www")
        #expect(td.volumes?[1].host == nil)

        let web = try #require(td.containerDefinitions?.first)
        #expect(web.name == "web")
        #expect(web.portMappings?[0] == .init(containerPort: 8080, hostPort: 8080, protocol: "tcp", name: "http", appProtocol: "http"))
        #expect(web.portMappings?[1].containerPortRange == "9000-9002")
        #expect(web.healthCheck?.command?.first == "CMD-SHELL")
        #expect(web.healthCheck?.timeout == nil)
        #expect(web.linuxParameters?.capabilities?.drop == ["NET_RAW", "MKNOD"])
        #expect(web.linuxParameters?.initProcessEnabled == true)
        #expect(web.ulimits == [.init(name: "nofile", softLimit: 4096, hardLimit: 8192)])
        #expect(web.dockerLabels == ["com.example.role": "web"])
        #expect(web.environment == [.init(name: "MODE", value: "prod"), .init(name: "LANG", value: "C.UTF-8")])

        let sidecar = try #require(td.containerDefinitions?.last)
        #expect(sidecar.dependsOn == [.init(containerName: "web", condition: "HEALTHY")])
        #expect(sidecar.essential == false)
        #expect(sidecar.memory == nil)
        #expect(sidecar.volumesFrom == [.init(sourceContainer: "web", readOnly: true)])

        try td.validate()
    }

    @Test func encodeDecodeRoundTripIsEqual() throws {
        let td = try TaskDefinitionFixtures.webWithSidecarDefinition
        let data = try td.encodedJSON()
        let again = try TaskDefinition.decode(from: data)
        #expect(again == td)
        // Encoding again is byte-identical (sorted keys).
        #expect(try again.encodedJSON() == data)
    }

    @Test func encodingOmitsAbsentMembersAndKeepsECSNames() throws {
        let td = TaskDefinition(family: "f", containerDefinitions: nil, cpu: "256")
        let data = try td.encodedJSON()
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json == #"{"cpu":"256","family":"f"}"#)

        let pm = ContainerDefinition.PortMapping(containerPort: 80, protocol: "udp")
        let pmData = try JSONEncoder().encode(pm)
        let pmJSON = try #require(String(data: pmData, encoding: .utf8))
        #expect(pmJSON.contains(#""protocol":"udp""#))
        #expect(!pmJSON.contains("hostPort"))
    }

    @Test func responseMembersRoundTrip() throws {
        let json = #"""
        {"taskDefinitionArn":"arn:aws:ecs:us-east-1:123456789012:task-definition/web:3","family":"web","revision":3,
         "status":"ACTIVE","compatibilities":["EC2","FARGATE"],"registeredAt":1700000000.5,"registeredBy":"arn:aws:iam::1:root",
         "requiresAttributes":[{"name":"com.amazonaws.ecs.capability.docker-remote-api.1.18"}],
         "containerDefinitions":[{"name":"web","image":"busybox","memory":64}]}
        """#
        let td = try TaskDefinition.decode(from: Data(json.utf8))
        #expect(td.revision == 3)
        #expect(td.registeredAt == 1_700_000_000.5)
        #expect(td.familyAndRevision() == "web:3")
        #expect(try TaskDefinition.decode(from: td.encodedJSON()) == td)
    }

    @Test func wrongTypeIsASerializationException() {
        let json = #"{"family":"x","containerDefinitions":[{"name":"a","image":"b","memory":"lots"}]}"#
        #expect {
            try TaskDefinition.decode(from: Data(json.utf8))
        } throws: { error in
            guard let e = error as? TaskDefinitionError else { return false }
            return e.code == .serializationException && e.field == "containerDefinitions[0].memory"
        }
    }

    @Test func malformedJSONIsASerializationException() {
        #expect(throws: TaskDefinitionError.self) { try TaskDefinition.decode(from: Data("{".utf8)) }
    }
}
