import Runtime

/// Mapping an ECS task definition (plus RunTask overrides) onto the runtime's ``TaskSpec``.
///
/// Network modes: `awsvpc` → `.awsvpc`; `host` → `.host`; `none` → `.none`; `bridge` (and an
/// absent `networkMode`, as on ECS's EC2 instances) → `.bridge`: the task gets its own namespace
/// and IP like an awsvpc task, and its port mappings are published on the host, a `hostPort`
/// of 0 or none getting a dynamic one; `links` are dropped (containers of a task share
/// `localhost` instead).
///
/// Defaults applied (ECS's): `essential` true; health check interval 30, timeout 5, retries 3,
/// startPeriod 0; port protocol tcp; mount points read-write. A health check whose command is
/// `["NONE"]` maps to no health check. Volumes: `host.sourcePath` → `hostSourcePath`; a volume
/// without `host` (or `host` without `sourcePath`, or a `dockerVolumeConfiguration` with the
/// `local` driver and `task` scope) → a task-scoped empty volume. `volumesFrom` is resolved into
/// the source container's mount points (read-only when `readOnly` is true). A `json-file` log
/// configuration's `max-size` / `max-file` options set `logMaxBytes` / `logMaxFiles`.
///
/// Members Wharf does not carry into the runtime are listed by ``unsupportedMembers()``.
extension TaskDefinition {
    /// Validates (as RegisterTaskDefinition would), applies `overrides` (as RunTask would),
    /// validates the result, and maps it onto a ``TaskSpec``.
    ///
    /// - Parameters:
    ///   - revision: the revision to name in `taskDefinition` (`family:revision`); defaults to
    ///     ``revision`` when the definition has one.
    ///   - overrides: ECS `TaskOverride`; `taskRoleArn` / `executionRoleArn` are ignored.
    /// - Throws: ``TaskDefinitionError``: `.clientException` if the definition itself is invalid,
    ///   `.invalidParameterException` if the overrides are (or make it so),
    ///   `.unsupportedFeatureException` for volumes Wharf cannot provide (EFS, shared or
    ///   non-local Docker volumes).
    public func taskSpec(revision: Int? = nil, overrides: TaskOverride? = nil) throws(TaskDefinitionError) -> TaskSpec {
        try withOverrides(overrides).mappedTaskSpec(revision: revision ?? self.revision)
    }

    /// This task definition, validated, with `overrides` applied and the result validated again:
    /// what a task of it runs (``taskSpec(revision:overrides:)`` maps exactly this).
    public func withOverrides(_ overrides: TaskOverride?) throws(TaskDefinitionError) -> TaskDefinition {
        try validate()
        guard let overrides else { return self }
        let effective = try applying(overrides)
        if let first = effective.validationErrors().first {
            throw TaskDefinitionError(.invalidParameterException, field: "overrides", message: first.message)
        }
        return effective
    }

    /// This task definition with ECS `TaskOverride`s applied: task `cpu`/`memory` replaced; per
    /// container `command`, `cpu`, `memory`, `memoryReservation` replaced and `environment` merged
    /// (same name replaced, new names appended). Does not validate the result.
    public func applying(_ overrides: TaskOverride) throws(TaskDefinitionError) -> TaskDefinition {
        var td = self
        if let cpu = overrides.cpu { td.cpu = cpu }
        if let memory = overrides.memory { td.memory = memory }
        var containers = td.containerDefinitions ?? []
        for (i, o) in (overrides.containerOverrides ?? []).enumerated() {
            guard let name = o.name, !name.isEmpty else {
                throw TaskDefinitionError(.invalidParameterException, field: "overrides.containerOverrides[\(i)].name",
                                          message: "ContainerOverride.name should not be null or empty.")
            }
            guard let index = containers.firstIndex(where: { $0.name == name }) else {
                throw TaskDefinitionError(.invalidParameterException, field: "overrides.containerOverrides[\(i)].name",
                                          message: "Override for container named \(name) is not a container in the TaskDefinition.")
            }
            var c = containers[index]
            if let command = o.command { c.command = command }
            if let cpu = o.cpu { c.cpu = cpu }
            if let memory = o.memory { c.memory = memory }
            if let reservation = o.memoryReservation { c.memoryReservation = reservation }
            if let environment = o.environment {
                var merged = c.environment ?? []
                for variable in environment {
                    if let k = merged.firstIndex(where: { $0.name == variable.name }) {
                        merged[k] = variable
                    } else {
                        merged.append(variable)
                    }
                }
                c.environment = merged
            }
            if let files = o.environmentFiles { c.environmentFiles = files }
            if let requirements = o.resourceRequirements { c.resourceRequirements = requirements }
            containers[index] = c
        }
        td.containerDefinitions = containers
        return td
    }

    /// The mapping proper; assumes a valid definition.
    func mappedTaskSpec(revision: Int?) throws(TaskDefinitionError) -> TaskSpec {
        let mode: NetworkMode
        switch networkMode {
        case "host": mode = .host
        case "none": mode = .none
        case "awsvpc": mode = .awsvpc
        default: mode = .bridge  // bridge, absent
        }
        let containers = containerDefinitions ?? []
        let mounts = resolvedMountPoints(containers)
        return TaskSpec(
            taskDefinition: family.map { f in revision.map { "\(f):\($0)" } ?? f },
            networkMode: mode,
            cpu: cpu.flatMap(TaskSize.cpuUnits),
            memory: memory.flatMap(TaskSize.memoryMiB),
            hostname: containers.lazy.compactMap(\.hostname).first,
            containers: containers.enumerated().map { i, c in c.containerSpec(mountPoints: mounts[i]) },
            volumes: try (volumes ?? []).enumerated().map { (i, v) throws(TaskDefinitionError) in try v.volumeSpec(index: i) }
        )
    }

    /// Each container's own mount points followed by those inherited through `volumesFrom`
    /// (transitively, as Docker's `--volumes-from` copies the source's mounts); a container path
    /// already mounted is not mounted again.
    private func resolvedMountPoints(_ containers: [ContainerDefinition]) -> [[Runtime.MountPoint]] {
        let byName = Dictionary(containers.compactMap { c in c.name.map { ($0, c) } }, uniquingKeysWith: { a, _ in a })
        func mounts(of c: ContainerDefinition, visiting: Set<String>) -> [Runtime.MountPoint] {
            var result = (c.mountPoints ?? []).map {
                Runtime.MountPoint(sourceVolume: $0.sourceVolume ?? "", containerPath: $0.containerPath ?? "", readOnly: $0.readOnly ?? false)
            }
            for from in c.volumesFrom ?? [] {
                guard let source = from.sourceContainer, !visiting.contains(source), let other = byName[source] else { continue }
                for var m in mounts(of: other, visiting: visiting.union([source])) where !result.contains(where: { $0.containerPath == m.containerPath }) {
                    if from.readOnly == true { m.readOnly = true }
                    result.append(m)
                }
            }
            return result
        }
        return containers.map { mounts(of: $0, visiting: Set([$0.name ?? ""])) }
    }

    /// Members that are set in this definition but that Wharf does not carry into the runtime
    /// (accepted, stored, returned by DescribeTaskDefinition, not acted on), as member paths.
    public func unsupportedMembers() -> [String] {
        var out: [String] = []
        func note(_ present: Bool, _ path: String) { if present { out.append(path) } }
        note(placementConstraints?.isEmpty == false, "placementConstraints")
        note(pidMode != nil, "pidMode")
        note(ipcMode != nil, "ipcMode")
        note(proxyConfiguration != nil, "proxyConfiguration")
        note(inferenceAccelerators?.isEmpty == false, "inferenceAccelerators")
        note(ephemeralStorage != nil, "ephemeralStorage")
        for (i, c) in (containerDefinitions ?? []).enumerated() {
            let base = "containerDefinitions[\(i)]"
            note(c.links?.isEmpty == false, "\(base).links")
            note(c.restartPolicy?.enabled == true, "\(base).restartPolicy")
            note(c.environmentFiles?.isEmpty == false, "\(base).environmentFiles")
            note(c.secrets?.isEmpty == false, "\(base).secrets")
            note(c.startTimeout != nil, "\(base).startTimeout")
            note(c.disableNetworking == true, "\(base).disableNetworking")
            note(c.privileged == true, "\(base).privileged")
            note(c.dnsServers?.isEmpty == false, "\(base).dnsServers")
            note(c.dnsSearchDomains?.isEmpty == false, "\(base).dnsSearchDomains")
            note(c.extraHosts?.isEmpty == false, "\(base).extraHosts")
            note(c.dockerSecurityOptions?.isEmpty == false, "\(base).dockerSecurityOptions")
            note(c.interactive == true, "\(base).interactive")
            note(c.pseudoTerminal == true, "\(base).pseudoTerminal")
            note(c.dockerLabels?.isEmpty == false, "\(base).dockerLabels")
            note(c.systemControls?.isEmpty == false, "\(base).systemControls")
            note(c.resourceRequirements?.isEmpty == false, "\(base).resourceRequirements")
            note(c.firelensConfiguration != nil, "\(base).firelensConfiguration")
            note(c.credentialSpecs?.isEmpty == false, "\(base).credentialSpecs")
            if let log = c.logConfiguration, log.logDriver != "json-file" {
                out.append("\(base).logConfiguration (logDriver \(log.logDriver ?? "none"))")
            }
            if let lp = c.linuxParameters {
                note(lp.devices?.isEmpty == false, "\(base).linuxParameters.devices")
                note(lp.sharedMemorySize != nil, "\(base).linuxParameters.sharedMemorySize")
                note(lp.tmpfs?.isEmpty == false, "\(base).linuxParameters.tmpfs")
                note(lp.maxSwap != nil, "\(base).linuxParameters.maxSwap")
                note(lp.swappiness != nil, "\(base).linuxParameters.swappiness")
            }
        }
        return out
    }
}

extension ContainerDefinition {
    func containerSpec(mountPoints: [Runtime.MountPoint]) -> ContainerSpec {
        ContainerSpec(
            name: name ?? "",
            image: image ?? "",
            entryPoint: entryPoint,
            command: command,
            environment: (environment ?? []).map { EnvironmentVariable(name: $0.name ?? "", value: $0.value ?? "") },
            workingDirectory: workingDirectory,
            user: user,
            cpu: cpu ?? 0,
            memory: memory,
            memoryReservation: memoryReservation,
            essential: essential ?? true,
            dependsOn: (dependsOn ?? []).compactMap { dep in
                guard let target = dep.containerName, let condition = dep.condition.flatMap(Runtime.ContainerDependency.Condition.init(rawValue:))
                else { return nil }
                return Runtime.ContainerDependency(containerName: target, condition: condition)
            },
            healthCheck: healthCheck.flatMap { hc in
                guard let command = hc.command, let kind = command.first, kind != "NONE" else { return nil }
                return HealthCheckSpec(
                    command: command, interval: hc.interval ?? HealthCheck.defaultInterval,
                    timeout: hc.timeout ?? HealthCheck.defaultTimeout, retries: hc.retries ?? HealthCheck.defaultRetries,
                    startPeriod: hc.startPeriod ?? 0
                )
            },
            stopTimeout: stopTimeout,
            readonlyRootFilesystem: readonlyRootFilesystem ?? false,
            initProcessEnabled: linuxParameters?.initProcessEnabled ?? false,
            capabilitiesAdd: linuxParameters?.capabilities?.add ?? [],
            capabilitiesDrop: linuxParameters?.capabilities?.drop ?? [],
            ulimits: (ulimits ?? []).map { Runtime.Ulimit(name: $0.name ?? "", softLimit: $0.softLimit ?? 0, hardLimit: $0.hardLimit ?? 0) },
            portMappings: (portMappings ?? []).flatMap(\.runtimePortMappings),
            mountPoints: mountPoints,
            logMaxBytes: logConfiguration.flatMap(\.jsonFileMaxBytes),
            logMaxFiles: logConfiguration.flatMap(\.jsonFileMaxFiles)
        )
    }
}

extension ContainerDefinition.PortMapping {
    /// One runtime mapping, or one per port of a `containerPortRange`.
    var runtimePortMappings: [Runtime.PortMapping] {
        let proto: Runtime.PortMapping.TransportProtocol = self.protocol == "udp" ? .udp : .tcp
        if let containerPort {
            let host = hostPort == 0 ? nil : hostPort
            return [Runtime.PortMapping(containerPort: containerPort, hostPort: host, transportProtocol: proto)]
        }
        let parts = (containerPortRange ?? "").split(separator: "-")
        guard parts.count == 2, let lo = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let hi = Int(parts[1].trimmingCharacters(in: .whitespaces)), lo <= hi
        else { return [] }
        return (lo...hi).map { Runtime.PortMapping(containerPort: $0, transportProtocol: proto) }
    }
}

extension ContainerDefinition.LogConfiguration {
    /// Docker json-file `max-size` ("10m", "512k", "1g", "1048576") in bytes.
    var jsonFileMaxBytes: Int? {
        guard logDriver == "json-file", let text = options?["max-size"]?.lowercased(), !text.isEmpty else { return nil }
        let multipliers: [Character: Int] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        if let last = text.last, let multiplier = multipliers[last] {
            return Int(text.dropLast()).map { $0 * multiplier }
        }
        return Int(text)
    }

    /// Docker json-file `max-file`.
    var jsonFileMaxFiles: Int? {
        guard logDriver == "json-file" else { return nil }
        return options?["max-file"].flatMap { Int($0) }
    }
}

extension TaskDefinition.Volume {
    func volumeSpec(index: Int) throws(TaskDefinitionError) -> VolumeSpec {
        let name = self.name ?? ""
        let field = "volumes[\(index)]"
        if efsVolumeConfiguration != nil {
            throw TaskDefinitionError(.unsupportedFeatureException, field: "\(field).efsVolumeConfiguration",
                                      message: "Volume '\(name)': EFS volumes are not supported by Wharf.")
        }
        if let docker = dockerVolumeConfiguration {
            if (docker.scope ?? "task") != "task" {
                throw TaskDefinitionError(.unsupportedFeatureException, field: "\(field).dockerVolumeConfiguration.scope",
                                          message: "Volume '\(name)': Docker volumes with scope 'shared' are not supported by Wharf.")
            }
            if let driver = docker.driver, driver != "local" {
                throw TaskDefinitionError(.unsupportedFeatureException, field: "\(field).dockerVolumeConfiguration.driver",
                                          message: "Volume '\(name)': Docker volume driver '\(driver)' is not supported by Wharf.")
            }
            return VolumeSpec(name: name)
        }
        return VolumeSpec(name: name, hostSourcePath: host?.sourcePath)
    }
}
