import Foundation
import Runtime
import Testing
@testable import ControlPlane

@Suite("TaskDefinition -> TaskSpec")
struct TaskDefinitionMappingTests {
    @Test func mapsRealisticDefinition() throws {
        let td = try TaskDefinitionFixtures.webWithSidecarDefinition
        let spec = try td.taskSpec(revision: 7)

        let expectedWeb = ContainerSpec(
            name: "web",
            image: "busybox:1.36",
            entryPoint: ["/bin/sh", "-c"],
            command: ["httpd -f -p 8080 -h /var/www"],
            environment: [EnvironmentVariable(name: "MODE", value: "prod"), EnvironmentVariable(name: "LANG", value: "C.UTF-8")],
            workingDirectory: "/var/www",
            user: "www-data",
            cpu: 256,
            memory: 256,
            memoryReservation: 128,
            essential: true,
            dependsOn: [],
            healthCheck: HealthCheckSpec(
                command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"],
                interval: 10, timeout: 5, retries: 5, startPeriod: 0
            ),
            stopTimeout: 10,
            readonlyRootFilesystem: true,
            initProcessEnabled: true,
            capabilitiesAdd: ["NET_BIND_SERVICE"],
            capabilitiesDrop: ["NET_RAW", "MKNOD"],
            ulimits: [Ulimit(name: "nofile", softLimit: 4096, hardLimit: 8192)],
            portMappings: [
                PortMapping(containerPort: 8080, hostPort: 8080, transportProtocol: .tcp),
                PortMapping(containerPort: 9000, transportProtocol: .udp),
                PortMapping(containerPort: 9001, transportProtocol: .udp),
                PortMapping(containerPort: 9002, transportProtocol: .udp),
            ],
            mountPoints: [
                MountPoint(sourceVolume: "site", containerPath: "/var/www", readOnly: true),
                MountPoint(sourceVolume: "scratch", containerPath: "/tmp/scratch", readOnly: false),
            ],
            logMaxBytes: 10 * 1024 * 1024,
            logMaxFiles: 3
        )
        let expectedSidecar = ContainerSpec(
            name: "log-shipper",
            image: "registry.local:5000/shipper@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            command: ["tail", "-F", "/tmp/scratch/access.log"],
            memoryReservation: 64,
            essential: false,
            dependsOn: [ContainerDependency(containerName: "web", condition: .healthy)],
            // volumesFrom web, readOnly: every inherited mount becomes read-only.
            mountPoints: [
                MountPoint(sourceVolume: "site", containerPath: "/var/www", readOnly: true),
                MountPoint(sourceVolume: "scratch", containerPath: "/tmp/scratch", readOnly: true),
            ]
        )
        let expected = TaskSpec(
            taskDefinition: "web-app:7",
            networkMode: .awsvpc,
            cpu: 512,
            memory: 1024,
            hostname: nil,
            containers: [expectedWeb, expectedSidecar],
            volumes: [VolumeSpec(name: "site", hostSourcePath: "/srv/www"), VolumeSpec(name: "scratch", hostSourcePath: nil)]
        )
        #expect(spec.containers[0] == expected.containers[0])
        #expect(spec.containers[1] == expected.containers[1])
        #expect(spec == expected)

        #expect(td.unsupportedMembers() == ["containerDefinitions[0].dockerLabels"])
    }

    @Test func defaults() throws {
        var td = TaskDefinitionFixtures.minimal()
        td.networkMode = nil
        td.containerDefinitions![0].healthCheck = .init(command: ["CMD", "true"])
        let spec = try td.taskSpec()
        #expect(spec.taskDefinition == "app")
        #expect(spec.networkMode == .bridge, "ECS's default on EC2 instances")
        #expect(spec.cpu == nil && spec.memory == nil)
        #expect(spec.containers[0].essential == true)
        #expect(spec.containers[1].essential == false)
        #expect(spec.containers[0].healthCheck == HealthCheckSpec(command: ["CMD", "true"], interval: 30, timeout: 5, retries: 3, startPeriod: 0))
        #expect(spec.containers[0].cpu == 0)
        #expect(spec.containers[0].initProcessEnabled == false)
        #expect(spec.containers[0].readonlyRootFilesystem == false)
    }

    @Test(arguments: [
        (String?.none, NetworkMode.bridge), ("awsvpc", .awsvpc), ("bridge", .bridge), ("host", .host), ("none", .none),
    ])
    func networkModes(_ mode: String?, _ expected: NetworkMode) throws {
        var td = TaskDefinitionFixtures.minimal()
        td.networkMode = mode
        #expect(try td.taskSpec().networkMode == expected)
    }

    @Test func revisionFromDefinitionWhenNotGiven() throws {
        var td = TaskDefinitionFixtures.minimal()
        td.revision = 4
        #expect(try td.taskSpec().taskDefinition == "app:4")
        #expect(try td.taskSpec(revision: 9).taskDefinition == "app:9")
    }

    @Test func bridgeModeHostPortsAndHostname() throws {
        var td = TaskDefinitionFixtures.minimal()
        td.networkMode = "bridge"
        td.containerDefinitions![0].portMappings = [.init(containerPort: 80, hostPort: 0), .init(containerPort: 443, hostPort: 8443)]
        td.containerDefinitions![0].hostname = "front"
        let spec = try td.taskSpec()
        #expect(spec.hostname == "front")
        #expect(spec.containers[0].portMappings == [PortMapping(containerPort: 80), PortMapping(containerPort: 443, hostPort: 8443)])
        #expect(td.unsupportedMembers() == [], "bridge mode is carried out, not noted")
    }

    @Test func healthCheckNoneMapsToNoHealthCheck() throws {
        var td = TaskDefinitionFixtures.minimal()
        td.containerDefinitions![0].healthCheck = .init(command: ["NONE"])
        #expect(try td.taskSpec().containers[0].healthCheck == nil)
    }

    @Test func overrides() throws {
        var td = TaskDefinitionFixtures.minimal()
        td.cpu = "512"
        td.memory = "1024"
        td.containerDefinitions![0].command = ["serve"]
        td.containerDefinitions![0].environment = [.init(name: "A", value: "1"), .init(name: "B", value: "2")]
        let overrides = TaskOverride(
            containerOverrides: [
                ContainerOverride(
                    name: "main", command: ["serve", "--debug"],
                    environment: [.init(name: "B", value: "20"), .init(name: "C", value: "3")],
                    cpu: 128, memory: 512, memoryReservation: 256
                ),
            ],
            cpu: "1 vCPU", memory: "2 GB", taskRoleArn: "arn:aws:iam::1:role/ignored"
        )
        let spec = try td.taskSpec(revision: 2, overrides: overrides)
        #expect(spec.cpu == 1024)
        #expect(spec.memory == 2048)
        let main = spec.containers[0]
        #expect(main.command == ["serve", "--debug"])
        #expect(main.environment == [
            EnvironmentVariable(name: "A", value: "1"), EnvironmentVariable(name: "B", value: "20"), EnvironmentVariable(name: "C", value: "3"),
        ])
        #expect(main.cpu == 128 && main.memory == 512 && main.memoryReservation == 256)
        #expect(spec.containers[1] == (try td.taskSpec()).containers[1])
    }

    @Test func overrideOfUnknownContainer() {
        let td = TaskDefinitionFixtures.minimal()
        let overrides = TaskOverride(containerOverrides: [ContainerOverride(name: "ghost", command: ["x"])])
        #expect(throws: TaskDefinitionError(.invalidParameterException, field: "overrides.containerOverrides[0].name",
                                            message: "Override for container named ghost is not a container in the TaskDefinition.")) {
            try td.taskSpec(overrides: overrides)
        }
    }

    @Test func overrideThatInvalidatesIsInvalidParameter() {
        let td = TaskDefinitionFixtures.minimal()
        let overrides = TaskOverride(containerOverrides: [ContainerOverride(name: "main", memoryReservation: 4096)])
        #expect {
            try td.taskSpec(overrides: overrides)
        } throws: { error in
            (error as? TaskDefinitionError)?.code == .invalidParameterException
        }
    }

    @Test func invalidDefinitionIsNotMapped() {
        var td = TaskDefinitionFixtures.minimal()
        td.family = nil
        #expect(throws: TaskDefinitionError(.clientException, field: "family", message: "Family should not be null or empty.")) {
            try td.taskSpec()
        }
    }

    @Test func unsupportedVolumes() throws {
        var efs = TaskDefinitionFixtures.minimal()
        efs.volumes = [.init(name: "shared", efsVolumeConfiguration: .init(fileSystemId: "fs-1234"))]
        #expect { try efs.taskSpec() } throws: { ($0 as? TaskDefinitionError)?.code == .unsupportedFeatureException }

        var docker = TaskDefinitionFixtures.minimal()
        docker.volumes = [.init(name: "cache", dockerVolumeConfiguration: .init(scope: "task", driver: "local"))]
        #expect(try docker.taskSpec().volumes == [VolumeSpec(name: "cache")])
        docker.volumes = [.init(name: "cache", dockerVolumeConfiguration: .init(scope: "shared", autoprovision: true))]
        #expect { try docker.taskSpec() } throws: { ($0 as? TaskDefinitionError)?.code == .unsupportedFeatureException }
    }
}

@Suite("Example task definitions in configs/")
struct TaskDefinitionConfigTests {
    static var configURL: URL { config("web-task.json") }

    static func config(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath)
            .resolvingSymlinksInPath()
            .deletingLastPathComponent()  // ControlPlaneTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repo root
            .appendingPathComponent("configs/" + name)
    }

    @Test func bridgeExampleIsValidAndPublishesADynamicPort() throws {
        let td = try TaskDefinition.decode(from: Data(contentsOf: Self.config("web-bridge-task.json")))
        try td.validate()
        let spec = try td.taskSpec(revision: 1)
        #expect(spec.networkMode == .bridge)
        #expect(spec.containers.first?.portMappings == [PortMapping(containerPort: 8080)], "no host port: a dynamic one")
        #expect(spec.containers.first?.initProcessEnabled == true)
        #expect(td.unsupportedMembers().isEmpty)
    }

    @Test func exampleIsValidAndMaps() throws {
        let td = try TaskDefinition.decode(from: Data(contentsOf: Self.configURL))
        try td.validate()
        // It is also a valid Fargate task size.
        var fargate = td
        fargate.requiresCompatibilities = ["FARGATE"]
        try fargate.validate()

        let spec = try td.taskSpec(revision: 1)
        #expect(spec.taskDefinition == "web:1")
        #expect(spec.networkMode == .awsvpc)
        #expect(spec.cpu == 256 && spec.memory == 512)
        let web = try #require(spec.containers.first)
        #expect(spec.containers.count == 1)
        #expect(web.name == "web" && web.image == "busybox" && web.essential)
        #expect(web.command == ["sh", "-c", "mkdir -p /www && echo \"hello from $(hostname)\" > /www/index.html && exec httpd -f -p 8080 -h /www"])
        #expect(web.portMappings == [PortMapping(containerPort: 8080)])
        #expect(web.healthCheck == HealthCheckSpec(
            command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"],
            interval: 5, timeout: 5, retries: 3, startPeriod: 2
        ))
        #expect(td.unsupportedMembers().isEmpty)
    }
}
