/// RegisterTaskDefinition's checks, as ECS applies them.
///
/// Sources, cited per rule below:
/// - [API] Amazon ECS API Reference: `RegisterTaskDefinition`, `ContainerDefinition`, `PortMapping`,
///   `HealthCheck`, `LinuxParameters`, `KernelCapabilities`, `Ulimit`, `ContainerDependency`, `Volume`.
/// - [DG] Amazon ECS Developer Guide, "Task definition parameters" and "Task CPU and memory".
/// - [ECS] messages ECS itself returns, as quoted by AWS CLI users; where a rule has no known ECS
///   wording the message follows ECS's patterns.
///
/// Validation judges the definition by ECS's own semantics (e.g. an absent `networkMode` is
/// `bridge` for ECS), not by how Wharf later runs it.
extension TaskDefinition {
    /// Throws the first problem ECS would report, or returns if the task definition is valid.
    public func validate() throws(TaskDefinitionError) {
        if let first = validationErrors().first { throw first }
    }

    /// Every problem found, in document order (task members, then each container, then
    /// cross-container rules).
    public func validationErrors() -> [TaskDefinitionError] {
        var v = Validator()
        v.check(self)
        return v.errors
    }
}

// MARK: - Enumerations ECS accepts

public enum TaskDefinitionRules {
    /// [API] `RegisterTaskDefinition.networkMode`.
    public static let networkModes: Set<String> = ["awsvpc", "bridge", "host", "none"]
    /// [API] `RegisterTaskDefinition.pidMode`.
    public static let pidModes: Set<String> = ["host", "task"]
    /// [API] `RegisterTaskDefinition.ipcMode`.
    public static let ipcModes: Set<String> = ["host", "task", "none"]
    /// [API] `RegisterTaskDefinition.requiresCompatibilities`.
    public static let compatibilities: Set<String> = ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"]
    /// [API] `PortMapping.protocol`.
    public static let protocols: Set<String> = ["tcp", "udp"]
    /// [API] `ContainerDependency.condition`.
    public static let dependencyConditions: Set<String> = ["START", "COMPLETE", "SUCCESS", "HEALTHY"]
    /// [API] `Ulimit.name`.
    public static let ulimitNames: Set<String> = [
        "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc",
        "rss", "rtprio", "rttime", "sigpending", "stack",
    ]
    /// [API] `KernelCapabilities.add` / `drop`: "Valid values: ALL | AUDIT_CONTROL | ... | WAKE_ALARM".
    public static let capabilities: Set<String> = [
        "ALL", "AUDIT_CONTROL", "AUDIT_WRITE", "BLOCK_SUSPEND", "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH",
        "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN",
        "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "SETFCAP",
        "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE",
        "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "SYSLOG",
        "WAKE_ALARM",
    ]
    /// [API] `HealthCheck.command`: first element `CMD`, `CMD-SHELL`, or `NONE` (disables the image's check).
    public static let healthCheckKinds: Set<String> = ["CMD", "CMD-SHELL", "NONE"]
    /// [API] `DockerVolumeConfiguration.scope`.
    public static let dockerVolumeScopes: Set<String> = ["task", "shared"]
    /// [API] `RegisterTaskDefinition.containerDefinitions`, [DG] quotas: at most 10 containers.
    public static let maxContainers = 10
    /// [API] `EphemeralStorage.sizeInGiB`: "The minimum supported value is 21 GiB and the maximum
    /// supported value is 200 GiB."
    public static let ephemeralStorageGiB = 21...200
    /// [API] `ContainerDefinition.memory`: "The Docker 20.10.0 or later daemon reserves a minimum of
    /// 6 MiB of memory for a container. So, don't specify less than 6 MiB". Docker refuses less
    /// for both the limit and the reservation.
    public static let minContainerMemoryMiB = 6
    /// [API] `HealthCheck` ranges (seconds / count).
    public static let healthCheckInterval: ClosedRange<Int> = 5...300
    public static let healthCheckTimeout: ClosedRange<Int> = 2...60
    public static let healthCheckRetries: ClosedRange<Int> = 1...10
    public static let healthCheckStartPeriod: ClosedRange<Int> = 0...300

    /// [API] `family` / `ContainerDefinition.name` / `Volume.name`: "Up to 255 letters (uppercase and
    /// lowercase), numbers, underscores, and hyphens are allowed."
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255
            && name.unicodeScalars.allSatisfy { s in
                s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_")
            }
    }
}

// MARK: - The checks

private struct Validator {
    var errors: [TaskDefinitionError] = []

    mutating func fail(_ field: String, _ message: String) {
        errors.append(TaskDefinitionError(.clientException, field: field, message: message))
    }

    mutating func check(_ td: TaskDefinition) {
        // Family. [API] `family` is required; [ECS] "Family contains invalid characters."
        if (td.family ?? "").isEmpty {
            fail("family", "Family should not be null or empty.")
        } else if let family = td.family, !TaskDefinitionRules.isValidName(family) {
            fail("family", family.utf8.count > 255
                 ? "Family name is too long: up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed."
                 : "Family contains invalid characters.")
        }

        // Enumerated task members.
        if let mode = td.networkMode, !TaskDefinitionRules.networkModes.contains(mode) {
            fail("networkMode", "Invalid 'networkMode' setting for task: '\(mode)'. Valid values are awsvpc, bridge, host, none.")
        }
        if let pid = td.pidMode, !TaskDefinitionRules.pidModes.contains(pid) {
            fail("pidMode", "Invalid 'pidMode' setting for task: '\(pid)'. Valid values are host, task.")
        }
        if let ipc = td.ipcMode, !TaskDefinitionRules.ipcModes.contains(ipc) {
            fail("ipcMode", "Invalid 'ipcMode' setting for task: '\(ipc)'. Valid values are host, task, none.")
        }
        for (i, c) in (td.requiresCompatibilities ?? []).enumerated()
        where !TaskDefinitionRules.compatibilities.contains(c) {
            fail("requiresCompatibilities[\(i)]",
                 "Invalid 'requiresCompatibilities' setting for task: '\(c)'. Valid values are EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES.")
        }

        // Task size. [ECS] "Invalid 'cpu' setting for task. For more information, see the
        // Troubleshooting section of the Amazon ECS Developer Guide."
        let fargate = td.requiresCompatibilities?.contains("FARGATE") ?? false
        var taskCPU: Int?
        var taskMemory: Int?
        if let cpu = td.cpu {
            taskCPU = TaskSize.cpuUnits(cpu)
            // [API] `cpu`: on EC2, 128 to 196608 units; Fargate has its own table, checked below.
            if taskCPU == nil || (!fargate && !TaskSize.ec2CPURange.contains(taskCPU!)) {
                fail("cpu", "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.")
                taskCPU = nil
            }
        }
        if let memory = td.memory {
            taskMemory = TaskSize.memoryMiB(memory)
            if taskMemory == nil || taskMemory! < TaskDefinitionRules.minContainerMemoryMiB {
                fail("memory", "Invalid 'memory' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.")
                taskMemory = nil
            }
        }

        // Fargate. [DG] "Fargate task definitions require that the network mode is set to awsvpc"
        // and that task-level cpu and memory are set, from the Fargate table.
        // [ECS] "Fargate only supports network mode 'awsvpc'.", "Fargate requires that 'cpu' be
        // defined at the task level.", "No Fargate configuration exists for given values."
        if fargate {
            if td.networkMode != "awsvpc" {
                fail("networkMode", "Fargate only supports network mode 'awsvpc'.")
            }
            if td.cpu == nil {
                fail("cpu", "Fargate requires that 'cpu' be defined at the task level.")
            }
            if td.memory == nil {
                fail("memory", "Fargate requires that 'memory' be defined at the task level.")
            }
            if let cpu = taskCPU, let memory = taskMemory, !TaskSize.isValidFargate(cpu: cpu, memory: memory) {
                fail("memory", "No Fargate configuration exists for given values: \(cpu) CPU, \(memory) memory. See the Amazon ECS documentation for the valid values.")
            }
            if td.pidMode == "host" {
                fail("pidMode", "Fargate does not support pidMode 'host'.")
            }
            if td.ipcMode != nil {
                fail("ipcMode", "Fargate does not support the 'ipcMode' parameter.")
            }
            // [ECS] On Fargate the execution role is what sends awslogs and pulls from ECR.
            if td.executionRoleArn == nil {
                let containers = td.containerDefinitions ?? []
                if containers.contains(where: { $0.logConfiguration?.logDriver == "awslogs" }) {
                    fail("executionRoleArn", "Fargate requires task definition to have execution role ARN to support log driver awslogs.")
                }
                if containers.contains(where: { Self.isECRImage($0.image) }) {
                    fail("executionRoleArn", "Fargate requires task definition to have execution role ARN to support ECR images.")
                }
            }
        }

        if let size = td.ephemeralStorage?.sizeInGiB, !TaskDefinitionRules.ephemeralStorageGiB.contains(size) {
            fail("ephemeralStorage.sizeInGiB",
                 "Invalid 'ephemeralStorage.sizeInGiB' setting: \(size). The minimum supported value is 21 GiB and the maximum supported value is 200 GiB.")
        }

        let volumeNames = checkVolumes(td.volumes ?? [])

        // Containers. [ECS] "Container list cannot be empty.", "Too many containers."
        let containers = td.containerDefinitions ?? []
        if containers.isEmpty {
            fail("containerDefinitions", "Container list cannot be empty.")
            return
        }
        if containers.count > TaskDefinitionRules.maxContainers {
            fail("containerDefinitions", "Too many containers.")
        }

        // ECS's network mode when absent is bridge (on Linux EC2) [API] `networkMode`.
        let ecsMode = td.networkMode ?? "bridge"
        var seen: Set<String> = []
        for (i, c) in containers.enumerated() {
            if let name = c.name, !name.isEmpty, !seen.insert(name).inserted {
                fail("containerDefinitions[\(i)].name", "Duplicate container name '\(name)'. Container names must be unique within a task definition.")
            }
            checkContainer(c, at: i, in: containers, networkMode: ecsMode, taskMemory: taskMemory, volumeNames: volumeNames)
        }

        // [API] `essential`: "All tasks must have at least one essential container."
        if !containers.contains(where: { $0.essential ?? true }) {
            fail("containerDefinitions", "Invalid task definition: at least one container must be essential.")
        }

        // [API] `ContainerDefinition.memory`/`memoryReservation`: the containers' reservations must fit
        // the task memory. [ECS] "The sum of all container 'memoryReservation' values cannot be
        // greater than the value of the task 'memory'."
        if let taskMemory {
            let reserved = containers.reduce(0) { $0 + ($1.memoryReservation ?? $1.memory ?? 0) }
            if reserved > taskMemory {
                fail("containerDefinitions", "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'.")
            }
        }
        // [API] `ContainerDefinition.cpu`: "the total amount of CPU reserved for all containers within
        // a task [must] be lower than the task-level cpu value".
        if let taskCPU {
            let sum = containers.reduce(0) { $0 + max($1.cpu ?? 0, 0) }
            if sum > taskCPU {
                fail("containerDefinitions", "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.")
            }
        }

        checkDependencyCycles(containers)
    }

    // MARK: Volumes

    /// Returns the declared volume names.
    mutating func checkVolumes(_ volumes: [TaskDefinition.Volume]) -> Set<String> {
        var names: Set<String> = []
        for (i, volume) in volumes.enumerated() {
            let field = "volumes[\(i)]"
            guard let name = volume.name, !name.isEmpty else {
                fail("\(field).name", "Volume.name should not be null or empty.")
                continue
            }
            if !TaskDefinitionRules.isValidName(name) {
                fail("\(field).name", "Invalid volume name '\(name)'. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.")
            }
            if !names.insert(name).inserted {
                fail("\(field).name", "Duplicate volume name '\(name)'. Volume names must be unique within a task definition.")
            }
            // [API] `Volume`: host, dockerVolumeConfiguration and efsVolumeConfiguration are alternatives.
            let kinds = [volume.host != nil, volume.dockerVolumeConfiguration != nil, volume.efsVolumeConfiguration != nil]
            if kinds.filter({ $0 }).count > 1 {
                fail(field, "Invalid setting for volume '\(name)'. Only one of 'host', 'dockerVolumeConfiguration' or 'efsVolumeConfiguration' may be specified.")
            }
            if let path = volume.host?.sourcePath, !path.hasPrefix("/") {
                fail("\(field).host.sourcePath", "Invalid 'sourcePath' setting for volume '\(name)'. The path must be absolute.")
            }
            if let docker = volume.dockerVolumeConfiguration {
                if let scope = docker.scope, !TaskDefinitionRules.dockerVolumeScopes.contains(scope) {
                    fail("\(field).dockerVolumeConfiguration.scope", "Invalid 'scope' setting for volume '\(name)': '\(scope)'. Valid values are task, shared.")
                }
                // [API] `autoprovision`: "This field is only used if the scope is shared."
                if docker.autoprovision == true, (docker.scope ?? "task") != "shared" {
                    fail("\(field).dockerVolumeConfiguration.autoprovision", "Invalid setting for volume '\(name)'. 'autoprovision' is only supported when the scope is 'shared'.")
                }
            }
            if let efs = volume.efsVolumeConfiguration, (efs.fileSystemId ?? "").isEmpty {
                fail("\(field).efsVolumeConfiguration.fileSystemId", "EFSVolumeConfiguration.fileSystemId should not be null or empty.")
            }
        }
        return names
    }

    // MARK: One container

    mutating func checkContainer(
        _ c: ContainerDefinition, at i: Int, in all: [ContainerDefinition], networkMode: String,
        taskMemory: Int?, volumeNames: Set<String>
    ) {
        let base = "containerDefinitions[\(i)]"
        // [API] `name`, `image` are required. [ECS] "Container.name should not be null or empty."
        guard let name = c.name, !name.isEmpty else {
            fail("\(base).name", "Container.name should not be null or empty.")
            return
        }
        let this = "container '\(name)'"
        if !TaskDefinitionRules.isValidName(name) {
            fail("\(base).name", "Invalid container name '\(name)'. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.")
        }
        if (c.image ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            fail("\(base).image", "Container.image should not be null or empty.")
        }

        // Memory. [API] `memory`: at least 6 MiB; memory >= memoryReservation; without task memory
        // one of them is required. [ECS] "Invalid setting for container 'x'. At least one of
        // 'memory' or 'memoryReservation' must be specified."
        let minMemory = TaskDefinitionRules.minContainerMemoryMiB
        if let memory = c.memory, memory < minMemory {
            fail("\(base).memory", "Invalid 'memory' setting for \(this). The minimum is \(minMemory) MiB.")
        }
        if let reservation = c.memoryReservation, reservation < minMemory {
            fail("\(base).memoryReservation", "Invalid 'memoryReservation' setting for \(this). The minimum is \(minMemory) MiB.")
        }
        if let memory = c.memory, let reservation = c.memoryReservation, reservation > memory {
            fail("\(base).memoryReservation", "Invalid 'memoryReservation' setting for \(this). The 'memory' value must be greater than or equal to the 'memoryReservation' value.")
        }
        if c.memory == nil, c.memoryReservation == nil, taskMemory == nil {
            fail("\(base).memory", "Invalid setting for \(this). At least one of 'memory' or 'memoryReservation' must be specified.")
        }
        // [API] TaskDefinition `memory`: a container's hard limit cannot exceed the task's.
        if let memory = c.memory, let taskMemory, memory > taskMemory {
            fail("\(base).memory", "Invalid 'memory' setting for \(this). The container 'memory' value cannot be greater than the task 'memory' value.")
        }
        if let cpu = c.cpu, cpu < 0 {
            fail("\(base).cpu", "Invalid 'cpu' setting for \(this). The value must be 0 or greater.")
        }
        if let t = c.startTimeout, t < 0 {
            fail("\(base).startTimeout", "Invalid 'startTimeout' setting for \(this). The value must be 0 or greater.")
        }
        if let t = c.stopTimeout, t < 0 {
            fail("\(base).stopTimeout", "Invalid 'stopTimeout' setting for \(this). The value must be 0 or greater.")
        }

        // [API] `links`: "This parameter is only supported if the network mode of a task definition
        // is bridge." `hostname`: "not supported if you're using the awsvpc network mode."
        if let links = c.links, !links.isEmpty, networkMode != "bridge" {
            fail("\(base).links", "Links are not supported when networkMode=\(networkMode).")
        }
        if c.hostname != nil, networkMode == "awsvpc" {
            fail("\(base).hostname", "The 'hostname' parameter is not supported when networkMode=awsvpc.")
        }

        checkPortMappings(c.portMappings ?? [], base: base, this: this, networkMode: networkMode)
        checkDependsOn(c, base: base, this: this, all: all)
        checkHealthCheck(c.healthCheck, base: base, this: this)

        // [API] `MountPoint.sourceVolume`: "Must be a volume name referenced in the name parameter
        // of task definition volume."
        for (j, mount) in (c.mountPoints ?? []).enumerated() {
            let field = "\(base).mountPoints[\(j)]"
            if let source = mount.sourceVolume, !source.isEmpty {
                if !volumeNames.contains(source) {
                    fail("\(field).sourceVolume", "Invalid 'mountPoints' setting for \(this). Volume '\(source)' is not declared in the task definition's volumes.")
                }
            } else {
                fail("\(field).sourceVolume", "MountPoint.sourceVolume should not be null or empty.")
            }
            if let path = mount.containerPath, !path.isEmpty {
                if !path.hasPrefix("/") {
                    fail("\(field).containerPath", "Invalid 'mountPoints' setting for \(this). containerPath '\(path)' must be absolute.")
                }
            } else {
                fail("\(field).containerPath", "MountPoint.containerPath should not be null or empty.")
            }
        }
        // [API] `VolumeFrom.sourceContainer`: "The name of another container within the same task definition".
        for (j, from) in (c.volumesFrom ?? []).enumerated() {
            let source = from.sourceContainer ?? ""
            if source.isEmpty || source == name || !all.contains(where: { $0.name == source }) {
                fail("\(base).volumesFrom[\(j)].sourceContainer", "Invalid 'volumesFrom' setting for \(this). '\(source)' is not another container of the task definition.")
            }
        }

        // [API] `Ulimit`: name from the enum; soft and hard required. Docker (and the kernel)
        // refuse a soft limit above the hard one.
        for (j, u) in (c.ulimits ?? []).enumerated() {
            let field = "\(base).ulimits[\(j)]"
            let uname = u.name ?? ""
            if !TaskDefinitionRules.ulimitNames.contains(uname) {
                fail("\(field).name", "Invalid 'ulimits' setting for \(this). '\(uname)' is not a valid ulimit name.")
            }
            guard let soft = u.softLimit, let hard = u.hardLimit else {
                fail(field, "Invalid 'ulimits' setting for \(this). Both 'softLimit' and 'hardLimit' must be specified for '\(uname)'.")
                continue
            }
            if soft > hard {
                fail("\(field).softLimit", "Invalid 'ulimits' setting for \(this). The 'softLimit' of '\(uname)' cannot be greater than its 'hardLimit'.")
            }
        }

        if let linux = c.linuxParameters {
            checkLinuxParameters(linux, base: "\(base).linuxParameters", this: this)
        }

        // [API] `RepositoryCredentials.credentialsParameter` is required: the secret's name or ARN.
        if let credentials = c.repositoryCredentials, (credentials.credentialsParameter ?? "").isEmpty {
            fail("\(base).repositoryCredentials.credentialsParameter",
                 "RepositoryCredentials.credentialsParameter should not be null or empty.")
        }
        for (j, secret) in (c.secrets ?? []).enumerated() {
            if (secret.name ?? "").isEmpty {
                fail("\(base).secrets[\(j)].name", "Secret.name should not be null or empty.")
            }
            if (secret.valueFrom ?? "").isEmpty {
                fail("\(base).secrets[\(j)].valueFrom", "Secret.valueFrom should not be null or empty.")
            }
        }
        for (j, variable) in (c.environment ?? []).enumerated() where (variable.name ?? "").isEmpty {
            fail("\(base).environment[\(j)].name", "Invalid 'environment' setting for \(this). Environment variable names should not be null or empty.")
        }
    }

    // MARK: Port mappings

    mutating func checkPortMappings(
        _ mappings: [ContainerDefinition.PortMapping], base: String, this: String, networkMode: String
    ) {
        let ports = 1...65535
        // [API] `portMappings`: "If the network mode of a task definition is set to none, then
        // you can't specify port mappings."
        if networkMode == "none", !mappings.isEmpty {
            fail("\(base).portMappings", "Invalid 'portMappings' setting for \(this). Port mappings are not supported when networkMode=none.")
        }
        // [API] `PortMapping`: "You can't expose the same container port for multiple protocols."
        // (The same protocol twice, to two host ports in bridge mode, is allowed.)
        var exposed: [Int: String] = [:]
        for (j, pm) in mappings.enumerated() {
            let field = "\(base).portMappings[\(j)]"
            let invalid = "Invalid 'portMappings' setting for \(this)."
            if let proto = pm.protocol, !TaskDefinitionRules.protocols.contains(proto) {
                fail("\(field).protocol", "\(invalid) Protocol '\(proto)' is not valid. Valid values are tcp, udp.")
            }
            if let range = pm.containerPortRange {
                // [API] `containerPortRange`: "start-end", instead of containerPort, and no hostPort
                // ("you can't specify a hostPort with a containerPortRange" — ECS assigns the host range).
                if pm.containerPort != nil {
                    fail("\(field).containerPortRange", "\(invalid) Specify either 'containerPort' or 'containerPortRange', not both.")
                }
                if pm.hostPort != nil {
                    fail("\(field).hostPort", "\(invalid) 'hostPort' cannot be specified with 'containerPortRange'.")
                }
                if Self.portRange(range) == nil {
                    fail("\(field).containerPortRange", "\(invalid) containerPortRange '\(range)' must be 'start-end' with 1 <= start < end <= 65535.")
                }
                continue
            }
            guard let containerPort = pm.containerPort else {
                fail("\(field).containerPort", "\(invalid) 'containerPort' or 'containerPortRange' must be specified.")
                continue
            }
            let proto = pm.protocol ?? "tcp"
            if let earlier = exposed[containerPort], earlier != proto {
                fail("\(field).containerPort", "\(invalid) containerPort \(containerPort) is exposed for both \(earlier) and \(proto); a container port can be exposed for one protocol only.")
            }
            exposed[containerPort] = exposed[containerPort] ?? proto
            // [API] `containerPort`/`hostPort`: valid port numbers (hostPort 0 = ephemeral, bridge only).
            if !ports.contains(containerPort) {
                fail("\(field).containerPort", "\(invalid) containerPort \(containerPort) is not in the range 1-65535.")
            }
            if let hostPort = pm.hostPort, !(0...65535).contains(hostPort) {
                fail("\(field).hostPort", "\(invalid) hostPort \(hostPort) is not in the range 0-65535.")
            }
            // [API] `hostPort`: "If you use containers in a task with the awsvpc or host network mode,
            // the hostPort can either be left blank or set to the same value as the containerPort."
            // [ECS] "When networkMode=awsvpc, the host ports and container ports in port mappings must match."
            if networkMode == "awsvpc" || networkMode == "host", let hostPort = pm.hostPort, hostPort != containerPort {
                fail("\(field).hostPort", "When networkMode=\(networkMode), the host ports and container ports in port mappings must match.")
            }
        }
    }

    /// Whether `image` is in an Amazon ECR registry (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/...`).
    static func isECRImage(_ image: String?) -> Bool {
        guard let image, let slash = image.firstIndex(of: "/") else { return false }
        let host = image[..<slash].lowercased()
        return host.contains(".dkr.ecr.") && (host.hasSuffix(".amazonaws.com") || host.hasSuffix(".amazonaws.com.cn"))
    }

    static func portRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let lo = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let hi = Int(parts[1].trimmingCharacters(in: .whitespaces)),
              1 <= lo, lo < hi, hi <= 65535
        else { return nil }
        return lo...hi
    }

    // MARK: dependsOn

    mutating func checkDependsOn(_ c: ContainerDefinition, base: String, this: String, all: [ContainerDefinition]) {
        for (j, dep) in (c.dependsOn ?? []).enumerated() {
            let field = "\(base).dependsOn[\(j)]"
            let invalid = "Invalid 'dependsOn' setting for \(this)."
            guard let target = dep.containerName, !target.isEmpty else {
                fail("\(field).containerName", "ContainerDependency.containerName should not be null or empty.")
                continue
            }
            guard let condition = dep.condition, TaskDefinitionRules.dependencyConditions.contains(condition) else {
                fail("\(field).condition", "\(invalid) Condition '\(dep.condition ?? "")' is not valid. Valid values are START, COMPLETE, SUCCESS, HEALTHY.")
                continue
            }
            guard let other = all.first(where: { $0.name == target }) else {
                fail("\(field).containerName", "\(invalid) Container '\(target)' does not exist in the task definition.")
                continue
            }
            if target == c.name { continue }  // reported as a cycle
            // [API] `ContainerDependency.condition`: COMPLETE and SUCCESS "can't be set on an
            // essential container"; HEALTHY "requires that the dependent container has health checks
            // configured".
            if condition == "COMPLETE" || condition == "SUCCESS", other.essential ?? true {
                fail("\(field).condition", "\(invalid) The \(condition) condition cannot be set on essential container '\(target)'.")
            }
            if condition == "HEALTHY", other.healthCheck == nil {
                fail("\(field).condition", "\(invalid) The HEALTHY condition requires container '\(target)' to have a health check.")
            }
        }
    }

    /// [API] `dependsOn` must form a DAG, or no container could start. Reports the first cycle found,
    /// e.g. `a -> b -> a`.
    mutating func checkDependencyCycles(_ containers: [ContainerDefinition]) {
        var edges: [String: [String]] = [:]
        var order: [String] = []
        for c in containers {
            guard let name = c.name, !name.isEmpty, edges[name] == nil else { continue }
            order.append(name)
            edges[name] = (c.dependsOn ?? []).compactMap(\.containerName)
        }
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var stack: [String] = []

        func visit(_ node: String) -> [String]? {
            if marks[node] == .done { return nil }
            if marks[node] == .visiting {
                let start = stack.firstIndex(of: node)!
                return Array(stack[start...]) + [node]
            }
            marks[node] = .visiting
            stack.append(node)
            for next in edges[node] ?? [] where edges[next] != nil {
                if let cycle = visit(next) { return cycle }
            }
            stack.removeLast()
            marks[node] = .done
            return nil
        }
        for name in order {
            if let cycle = visit(name) {
                fail("containerDefinitions", "Invalid 'dependsOn' setting: container dependencies contain a cycle: \(cycle.joined(separator: " -> ")).")
                return
            }
        }
    }

    // MARK: healthCheck

    mutating func checkHealthCheck(_ hc: ContainerDefinition.HealthCheck?, base: String, this: String) {
        guard let hc else { return }
        let field = "\(base).healthCheck"
        let invalid = "Invalid 'healthCheck' setting for \(this)."
        let command = hc.command ?? []
        if command.isEmpty {
            fail("\(field).command", "HealthCheck.command should not be null or empty.")
        } else if !TaskDefinitionRules.healthCheckKinds.contains(command[0]) {
            fail("\(field).command", "\(invalid) The first element of 'command' must be CMD, CMD-SHELL or NONE, not '\(command[0])'.")
        } else if command[0] != "NONE", command.count < 2 {
            fail("\(field).command", "\(invalid) '\(command[0])' must be followed by the command to run.")
        }
        let ranges: [(String, Int?, ClosedRange<Int>)] = [
            ("interval", hc.interval, TaskDefinitionRules.healthCheckInterval),
            ("timeout", hc.timeout, TaskDefinitionRules.healthCheckTimeout),
            ("retries", hc.retries, TaskDefinitionRules.healthCheckRetries),
            ("startPeriod", hc.startPeriod, TaskDefinitionRules.healthCheckStartPeriod),
        ]
        for (member, value, range) in ranges {
            if let value, !range.contains(value) {
                fail("\(field).\(member)", "\(invalid) '\(member)' must be between \(range.lowerBound) and \(range.upperBound), got \(value).")
            }
        }
    }

    // MARK: linuxParameters

    mutating func checkLinuxParameters(_ lp: ContainerDefinition.LinuxParameters, base: String, this: String) {
        let invalid = "Invalid 'linuxParameters' setting for \(this)."
        for (member, list) in [("add", lp.capabilities?.add), ("drop", lp.capabilities?.drop)] {
            for (j, cap) in (list ?? []).enumerated() where !TaskDefinitionRules.capabilities.contains(cap) {
                fail("\(base).capabilities.\(member)[\(j)]", "\(invalid) '\(cap)' is not a valid capability.")
            }
        }
        // [API] `swappiness`: "Accepted values are whole numbers between 0 and 100."
        if let s = lp.swappiness, !(0...100).contains(s) {
            fail("\(base).swappiness", "\(invalid) 'swappiness' must be between 0 and 100.")
        }
        // [API] `maxSwap`: "Accepted values are 0 or any positive integer."
        if let m = lp.maxSwap, m < 0 {
            fail("\(base).maxSwap", "\(invalid) 'maxSwap' must be 0 or greater.")
        }
        if let shm = lp.sharedMemorySize, shm <= 0 {
            fail("\(base).sharedMemorySize", "\(invalid) 'sharedMemorySize' must be greater than 0.")
        }
        for (j, t) in (lp.tmpfs ?? []).enumerated() {
            if !(t.containerPath ?? "").hasPrefix("/") {
                fail("\(base).tmpfs[\(j)].containerPath", "\(invalid) tmpfs 'containerPath' must be an absolute path.")
            }
            if (t.size ?? 0) <= 0 {
                fail("\(base).tmpfs[\(j)].size", "\(invalid) tmpfs 'size' must be greater than 0.")
            }
        }
        for (j, d) in (lp.devices ?? []).enumerated() where (d.hostPath ?? "").isEmpty {
            fail("\(base).devices[\(j)].hostPath", "Device.hostPath should not be null or empty.")
        }
    }
}
