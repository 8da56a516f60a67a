import Testing
@testable import ControlPlane

/// One validation rule: a change to ``TaskDefinitionFixtures/minimal()`` and the first error ECS reports.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    let label: String
    let field: String
    let message: String
    let mutate: @Sendable (inout TaskDefinition) -> Void
    var testDescription: String { label }

    init(_ label: String, _ field: String, _ message: String, _ mutate: @escaping @Sendable (inout TaskDefinition) -> Void) {
        self.label = label
        self.field = field
        self.message = message
        self.mutate = mutate
    }
}

private func main(_ td: inout TaskDefinition, _ change: (inout ContainerDefinition) -> Void) {
    change(&td.containerDefinitions![0])
}

private func side(_ td: inout TaskDefinition, _ change: (inout ContainerDefinition) -> Void) {
    change(&td.containerDefinitions![1])
}

private let healthy = ContainerDefinition.HealthCheck(command: ["CMD", "true"])

let validationCases: [ValidationCase] = [
    // Family.
    .init("family missing", "family", "Family should not be null or empty.") { $0.family = nil },
    .init("family empty", "family", "Family should not be null or empty.") { $0.family = "" },
    .init("family bad chars", "family", "Family contains invalid characters.") { $0.family = "my app" },
    .init("family dots", "family", "Family contains invalid characters.") { $0.family = "my.app" },
    .init("family too long", "family",
          "Family name is too long: up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.") {
        $0.family = String(repeating: "a", count: 256)
    },
    // Task enums.
    .init("networkMode", "networkMode", "Invalid 'networkMode' setting for task: 'nat'. Valid values are awsvpc, bridge, host, none.") {
        $0.networkMode = "nat"
    },
    .init("pidMode", "pidMode", "Invalid 'pidMode' setting for task: 'shared'. Valid values are host, task.") { $0.pidMode = "shared" },
    .init("ipcMode", "ipcMode", "Invalid 'ipcMode' setting for task: 'x'. Valid values are host, task, none.") { $0.ipcMode = "x" },
    .init("compatibility", "requiresCompatibilities[0]",
          "Invalid 'requiresCompatibilities' setting for task: 'LAMBDA'. Valid values are EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES.") {
        $0.requiresCompatibilities = ["LAMBDA"]
    },
    // Task size.
    .init("task cpu unparseable", "cpu",
          "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.") {
        $0.cpu = "fast"
    },
    .init("task cpu below EC2 range", "cpu",
          "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.") {
        $0.cpu = "64"
    },
    .init("task memory unparseable", "memory",
          "Invalid 'memory' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.") {
        $0.memory = "1 TB"
    },
    // Fargate.
    .init("fargate network mode", "networkMode", "Fargate only supports network mode 'awsvpc'.") {
        $0.requiresCompatibilities = ["FARGATE"]; $0.networkMode = "bridge"; $0.cpu = "256"; $0.memory = "512"
    },
    .init("fargate cpu", "cpu", "Fargate requires that 'cpu' be defined at the task level.") {
        $0.requiresCompatibilities = ["FARGATE"]; $0.memory = "512"
    },
    .init("fargate memory", "memory", "Fargate requires that 'memory' be defined at the task level.") {
        $0.requiresCompatibilities = ["FARGATE"]; $0.cpu = "256"
    },
    .init("fargate pair", "memory",
          "No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values.") {
        $0.requiresCompatibilities = ["FARGATE"]; $0.cpu = ".25 vCPU"; $0.memory = "4GB"
        main(&$0) { $0.memory = nil }; side(&$0) { $0.memory = nil }
    },
    // Container list.
    .init("no containers", "containerDefinitions", "Container list cannot be empty.") { $0.containerDefinitions = [] },
    .init("too many containers", "containerDefinitions", "Too many containers.") {
        $0.containerDefinitions = (0..<11).map { ContainerDefinition(name: "c\($0)", image: "busybox", memory: 16) }
    },
    .init("container name missing", "containerDefinitions[0].name", "Container.name should not be null or empty.") {
        main(&$0) { $0.name = nil }
    },
    .init("container name bad chars", "containerDefinitions[0].name",
          "Invalid container name 'web/1'. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.") {
        main(&$0) { $0.name = "web/1" }
    },
    .init("container names unique", "containerDefinitions[1].name",
          "Duplicate container name 'main'. Container names must be unique within a task definition.") {
        side(&$0) { $0.name = "main" }
    },
    .init("image required", "containerDefinitions[0].image", "Container.image should not be null or empty.") {
        main(&$0) { $0.image = "" }
    },
    .init("no essential container", "containerDefinitions", "Invalid task definition: at least one container must be essential.") {
        main(&$0) { $0.essential = false }
    },
    // Memory.
    .init("memory minimum", "containerDefinitions[0].memory", "Invalid 'memory' setting for container 'main'. The minimum is 6 MiB.") {
        main(&$0) { $0.memory = 4 }
    },
    .init("memoryReservation minimum", "containerDefinitions[0].memoryReservation",
          "Invalid 'memoryReservation' setting for container 'main'. The minimum is 6 MiB.") {
        main(&$0) { $0.memoryReservation = 2 }
    },
    .init("reservation above memory", "containerDefinitions[0].memoryReservation",
          "Invalid 'memoryReservation' setting for container 'main'. The 'memory' value must be greater than or equal to the 'memoryReservation' value.") {
        main(&$0) { $0.memoryReservation = 256 }
    },
    .init("memory or reservation required", "containerDefinitions[0].memory",
          "Invalid setting for container 'main'. At least one of 'memory' or 'memoryReservation' must be specified.") {
        main(&$0) { $0.memory = nil }
    },
    .init("container memory above task", "containerDefinitions[0].memory",
          "Invalid 'memory' setting for container 'main'. The container 'memory' value cannot be greater than the task 'memory' value.") {
        $0.memory = "100"; main(&$0) { $0.memory = 128; $0.memoryReservation = 32 }; side(&$0) { $0.memory = nil }
    },
    .init("reservations above task memory", "containerDefinitions",
          "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'.") {
        $0.memory = "150"
    },
    .init("container cpu above task", "containerDefinitions",
          "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.") {
        $0.cpu = "256"; main(&$0) { $0.cpu = 200 }; side(&$0) { $0.cpu = 100 }
    },
    // Network-mode dependent members.
    .init("links outside bridge", "containerDefinitions[1].links", "Links are not supported when networkMode=awsvpc.") {
        side(&$0) { $0.links = ["main"] }
    },
    .init("hostname in awsvpc", "containerDefinitions[0].hostname", "The 'hostname' parameter is not supported when networkMode=awsvpc.") {
        main(&$0) { $0.hostname = "web" }
    },
    // Port mappings.
    .init("containerPort range", "containerDefinitions[0].portMappings[0].containerPort",
          "Invalid 'portMappings' setting for container 'main'. containerPort 70000 is not in the range 1-65535.") {
        main(&$0) { $0.portMappings = [.init(containerPort: 70000)] }
    },
    .init("containerPort zero", "containerDefinitions[0].portMappings[0].containerPort",
          "Invalid 'portMappings' setting for container 'main'. containerPort 0 is not in the range 1-65535.") {
        main(&$0) { $0.portMappings = [.init(containerPort: 0)] }
    },
    .init("containerPort missing", "containerDefinitions[0].portMappings[0].containerPort",
          "Invalid 'portMappings' setting for container 'main'. 'containerPort' or 'containerPortRange' must be specified.") {
        main(&$0) { $0.portMappings = [.init(hostPort: 80)] }
    },
    .init("awsvpc host port", "containerDefinitions[0].portMappings[0].hostPort",
          "When networkMode=awsvpc, the host ports and container ports in port mappings must match.") {
        main(&$0) { $0.portMappings = [.init(containerPort: 80, hostPort: 8080)] }
    },
    .init("host mode host port", "containerDefinitions[0].portMappings[0].hostPort",
          "When networkMode=host, the host ports and container ports in port mappings must match.") {
        $0.networkMode = "host"; main(&$0) { $0.portMappings = [.init(containerPort: 80, hostPort: 8080)] }
    },
    .init("protocol", "containerDefinitions[0].portMappings[0].protocol",
          "Invalid 'portMappings' setting for container 'main'. Protocol 'sctp' is not valid. Valid values are tcp, udp.") {
        main(&$0) { $0.portMappings = [.init(containerPort: 80, protocol: "sctp")] }
    },
    .init("port range format", "containerDefinitions[0].portMappings[0].containerPortRange",
          "Invalid 'portMappings' setting for container 'main'. containerPortRange '9000' must be 'start-end' with 1 <= start < end <= 65535.") {
        main(&$0) { $0.portMappings = [.init(containerPortRange: "9000")] }
    },
    .init("port range and port", "containerDefinitions[0].portMappings[0].containerPortRange",
          "Invalid 'portMappings' setting for container 'main'. Specify either 'containerPort' or 'containerPortRange', not both.") {
        main(&$0) { $0.portMappings = [.init(containerPort: 80, containerPortRange: "9000-9001")] }
    },
    // dependsOn.
    .init("dependsOn unknown container", "containerDefinitions[0].dependsOn[0].containerName",
          "Invalid 'dependsOn' setting for container 'main'. Container 'db' does not exist in the task definition.") {
        main(&$0) { $0.dependsOn = [.init(containerName: "db", condition: "START")] }
    },
    .init("dependsOn condition", "containerDefinitions[0].dependsOn[0].condition",
          "Invalid 'dependsOn' setting for container 'main'. Condition 'READY' is not valid. Valid values are START, COMPLETE, SUCCESS, HEALTHY.") {
        main(&$0) { $0.dependsOn = [.init(containerName: "side", condition: "READY")] }
    },
    .init("dependsOn SUCCESS on essential", "containerDefinitions[1].dependsOn[0].condition",
          "Invalid 'dependsOn' setting for container 'side'. The SUCCESS condition cannot be set on essential container 'main'.") {
        side(&$0) { $0.dependsOn = [.init(containerName: "main", condition: "SUCCESS")] }
    },
    .init("dependsOn HEALTHY without health check", "containerDefinitions[0].dependsOn[0].condition",
          "Invalid 'dependsOn' setting for container 'main'. The HEALTHY condition requires container 'side' to have a health check.") {
        main(&$0) { $0.dependsOn = [.init(containerName: "side", condition: "HEALTHY")] }
    },
    .init("dependsOn self", "containerDefinitions",
          "Invalid 'dependsOn' setting: container dependencies contain a cycle: main -> main.") {
        main(&$0) { $0.dependsOn = [.init(containerName: "main", condition: "START")] }
    },
    .init("dependsOn cycle", "containerDefinitions",
          "Invalid 'dependsOn' setting: container dependencies contain a cycle: a -> b -> c -> a.") {
        $0.containerDefinitions = [
            ContainerDefinition(name: "a", image: "busybox", memory: 16, dependsOn: [.init(containerName: "b", condition: "START")]),
            ContainerDefinition(name: "b", image: "busybox", memory: 16, dependsOn: [.init(containerName: "c", condition: "START")]),
            ContainerDefinition(name: "c", image: "busybox", memory: 16, dependsOn: [.init(containerName: "a", condition: "HEALTHY")]),
        ]
        $0.containerDefinitions![0].healthCheck = healthy
    },
    // healthCheck.
    .init("healthCheck command kind", "containerDefinitions[0].healthCheck.command",
          "Invalid 'healthCheck' setting for container 'main'. The first element of 'command' must be CMD, CMD-SHELL or NONE, not 'curl'.") {
        main(&$0) { $0.healthCheck = .init(command: ["curl", "-f", "http://localhost"]) }
    },
    .init("healthCheck command empty", "containerDefinitions[0].healthCheck.command", "HealthCheck.command should not be null or empty.") {
        main(&$0) { $0.healthCheck = .init(command: []) }
    },
    .init("healthCheck CMD-SHELL alone", "containerDefinitions[0].healthCheck.command",
          "Invalid 'healthCheck' setting for container 'main'. 'CMD-SHELL' must be followed by the command to run.") {
        main(&$0) { $0.healthCheck = .init(command: ["CMD-SHELL"]) }
    },
    .init("healthCheck interval", "containerDefinitions[0].healthCheck.interval",
          "Invalid 'healthCheck' setting for container 'main'. 'interval' must be between 5 and 300, got 4.") {
        main(&$0) { $0.healthCheck = .init(command: ["CMD", "true"], interval: 4) }
    },
    .init("healthCheck timeout", "containerDefinitions[0].healthCheck.timeout",
          "Invalid 'healthCheck' setting for container 'main'. 'timeout' must be between 2 and 60, got 61.") {
        main(&$0) { $0.healthCheck = .init(command: ["CMD", "true"], timeout: 61) }
    },
    .init("healthCheck retries", "containerDefinitions[0].healthCheck.retries",
          "Invalid 'healthCheck' setting for container 'main'. 'retries' must be between 1 and 10, got 0.") {
        main(&$0) { $0.healthCheck = .init(command: ["CMD", "true"], retries: 0) }
    },
    .init("healthCheck startPeriod", "containerDefinitions[0].healthCheck.startPeriod",
          "Invalid 'healthCheck' setting for container 'main'. 'startPeriod' must be between 0 and 300, got 301.") {
        main(&$0) { $0.healthCheck = .init(command: ["CMD", "true"], startPeriod: 301) }
    },
    // Volumes and mount points.
    .init("mount of undeclared volume", "containerDefinitions[0].mountPoints[0].sourceVolume",
          "Invalid 'mountPoints' setting for container 'main'. Volume 'data' is not declared in the task definition's volumes.") {
        main(&$0) { $0.mountPoints = [.init(sourceVolume: "data", containerPath: "/data")] }
    },
    .init("mount path relative", "containerDefinitions[0].mountPoints[0].containerPath",
          "Invalid 'mountPoints' setting for container 'main'. containerPath 'data' must be absolute.") {
        $0.volumes = [.init(name: "data")]; main(&$0) { $0.mountPoints = [.init(sourceVolume: "data", containerPath: "data")] }
    },
    .init("volume names unique", "volumes[1].name",
          "Duplicate volume name 'data'. Volume names must be unique within a task definition.") {
        $0.volumes = [.init(name: "data"), .init(name: "data", host: .init(sourcePath: "/srv"))]
    },
    .init("volume name required", "volumes[0].name", "Volume.name should not be null or empty.") {
        $0.volumes = [.init(host: .init(sourcePath: "/srv"))]
    },
    .init("volumesFrom unknown", "containerDefinitions[1].volumesFrom[0].sourceContainer",
          "Invalid 'volumesFrom' setting for container 'side'. 'nope' is not another container of the task definition.") {
        side(&$0) { $0.volumesFrom = [.init(sourceContainer: "nope")] }
    },
    // Ulimits.
    .init("ulimit name", "containerDefinitions[0].ulimits[0].name",
          "Invalid 'ulimits' setting for container 'main'. 'openfiles' is not a valid ulimit name.") {
        main(&$0) { $0.ulimits = [.init(name: "openfiles", softLimit: 1, hardLimit: 2)] }
    },
    .init("ulimit soft above hard", "containerDefinitions[0].ulimits[0].softLimit",
          "Invalid 'ulimits' setting for container 'main'. The 'softLimit' of 'nofile' cannot be greater than its 'hardLimit'.") {
        main(&$0) { $0.ulimits = [.init(name: "nofile", softLimit: 4096, hardLimit: 1024)] }
    },
    // Capabilities and other linuxParameters.
    .init("capability add", "containerDefinitions[0].linuxParameters.capabilities.add[0]",
          "Invalid 'linuxParameters' setting for container 'main'. 'CAP_NET_ADMIN' is not a valid capability.") {
        main(&$0) { $0.linuxParameters = .init(capabilities: .init(add: ["CAP_NET_ADMIN"])) }
    },
    .init("capability drop", "containerDefinitions[0].linuxParameters.capabilities.drop[1]",
          "Invalid 'linuxParameters' setting for container 'main'. 'NET_FOO' is not a valid capability.") {
        main(&$0) { $0.linuxParameters = .init(capabilities: .init(drop: ["NET_RAW", "NET_FOO"])) }
    },
    .init("swappiness", "containerDefinitions[0].linuxParameters.swappiness",
          "Invalid 'linuxParameters' setting for container 'main'. 'swappiness' must be between 0 and 100.") {
        main(&$0) { $0.linuxParameters = .init(swappiness: 101) }
    },
    // Registry credentials.
    .init("repositoryCredentials without credentialsParameter", "containerDefinitions[0].repositoryCredentials.credentialsParameter",
          "RepositoryCredentials.credentialsParameter should not be null or empty.") {
        main(&$0) { $0.repositoryCredentials = .init() }
    },
    .init("repositoryCredentials empty credentialsParameter", "containerDefinitions[1].repositoryCredentials.credentialsParameter",
          "RepositoryCredentials.credentialsParameter should not be null or empty.") {
        side(&$0) { $0.repositoryCredentials = .init(credentialsParameter: "") }
    },
]

@Suite("TaskDefinition validation")
struct TaskDefinitionValidationTests {
    @Test func minimalIsValid() throws {
        try TaskDefinitionFixtures.minimal().validate()
    }

    @Test(arguments: validationCases)
    func rule(_ c: ValidationCase) {
        var td = TaskDefinitionFixtures.minimal()
        c.mutate(&td)
        let errors = td.validationErrors()
        let first = errors.first
        #expect(first?.message == c.message, "all errors: \(errors.map(\.message))")
        #expect(first?.field == c.field)
        #expect(first?.code == .clientException)
        #expect(throws: TaskDefinitionError.self) { try td.validate() }
    }

    @Test func validEdgeCasesPass() throws {
        var td = TaskDefinitionFixtures.minimal()
        td.requiresCompatibilities = ["FARGATE", "EC2"]
        td.cpu = "1 vCPU"
        td.memory = "2GB"
        td.containerDefinitions![0].portMappings = [.init(containerPort: 8080, hostPort: 8080), .init(protocol: "udp", containerPortRange: "9000-9100")]
        td.containerDefinitions![0].healthCheck = .init(command: ["NONE"])
        td.containerDefinitions![0].linuxParameters = .init(capabilities: .init(add: ["ALL"], drop: ["WAKE_ALARM", "SYSLOG"]))
        td.containerDefinitions![1].dependsOn = [.init(containerName: "main", condition: "START")]
        td.containerDefinitions![1].ulimits = [.init(name: "nofile", softLimit: 1024, hardLimit: 1024)]
        td.containerDefinitions![1].repositoryCredentials = .init(credentialsParameter: "registry/robot")
        try td.validate()
        // Carried into the runtime (the agent resolves it), so not listed as unsupported.
        #expect(!td.unsupportedMembers().contains { $0.contains("repositoryCredentials") })

        // bridge: hostPort may differ from containerPort, links allowed.
        var bridge = TaskDefinitionFixtures.minimal()
        bridge.networkMode = nil
        bridge.containerDefinitions![0].portMappings = [.init(containerPort: 80, hostPort: 0)]
        bridge.containerDefinitions![1].links = ["main"]
        bridge.containerDefinitions![1].hostname = "side"
        try bridge.validate()
    }

    @Test func validationErrorsListsEveryProblem() {
        var td = TaskDefinitionFixtures.minimal()
        td.family = "bad family"
        td.containerDefinitions![0].image = nil
        td.containerDefinitions![1].memory = 1
        #expect(td.validationErrors().map(\.field) == ["family", "containerDefinitions[0].image", "containerDefinitions[1].memory"])
    }
}
