/// The form ECS stores and returns a registered task definition in: what the request said,
/// with ECS's defaults written out and its derived members computed.
///
/// ECS's own outputs (AWS CLI examples for register-task-definition / describe-task-definition)
/// show: task `cpu`/`memory` converted to integers ("String values are converted to an integer
/// ... when the task definition is registered"), `volumes: []`, `placementConstraints: []`,
/// containers with `cpu: 0`, `essential: true`, `portMappings: []`, `environment: []`,
/// `mountPoints: []`, `volumesFrom: []` when absent, and the computed `compatibilities`.
enum TaskDefinitionRegistrationForm {
    static func make(from request: TaskDefinition) -> TaskDefinition {
        var td = request
        // Members only a response carries; a request that sends them does not set them.
        td.taskDefinitionArn = nil
        td.revision = nil
        td.status = nil
        td.requiresAttributes = nil
        td.compatibilities = nil
        td.registeredAt = nil
        td.deregisteredAt = nil
        td.deleteRequestedAt = nil
        td.registeredBy = nil
        // Tags belong to the resource, not the document.
        td.tags = nil

        if let cpu = td.cpu, let units = TaskSize.cpuUnits(cpu) { td.cpu = String(units) }
        if let memory = td.memory, let mib = TaskSize.memoryMiB(memory) { td.memory = String(mib) }
        td.volumes = td.volumes ?? []
        td.placementConstraints = td.placementConstraints ?? []
        let networkMode = td.networkMode ?? "bridge"
        td.containerDefinitions = (td.containerDefinitions ?? []).map { container(from: $0, networkMode: networkMode) }
        td.compatibilities = compatibilities(of: td)
        let attributes = requiredAttributes(of: td)
        td.requiresAttributes = attributes.isEmpty ? nil : attributes
        return td
    }

    private static func container(from request: ContainerDefinition, networkMode: String) -> ContainerDefinition {
        var c = request
        c.cpu = c.cpu ?? 0
        c.essential = c.essential ?? true
        c.environment = c.environment ?? []
        c.mountPoints = c.mountPoints ?? []
        c.volumesFrom = c.volumesFrom ?? []
        if var check = c.healthCheck {
            check.interval = check.interval ?? ContainerDefinition.HealthCheck.defaultInterval
            check.timeout = check.timeout ?? ContainerDefinition.HealthCheck.defaultTimeout
            check.retries = check.retries ?? ContainerDefinition.HealthCheck.defaultRetries
            c.healthCheck = check
        }
        c.portMappings = (c.portMappings ?? []).map { mapping in
            var m = mapping
            m.protocol = m.protocol ?? "tcp"
            // awsvpc and host: the host port is the container port (ECS fills it in).
            if (networkMode == "awsvpc" || networkMode == "host"), m.hostPort == nil, let port = m.containerPort {
                m.hostPort = port
            }
            return m
        }
        return c
    }

    /// The launch types the definition can run on, in ECS's order: `EXTERNAL` (not with awsvpc),
    /// `EC2` (always, on Linux), `FARGATE` (awsvpc with a Fargate task size and no host PID or
    /// IPC sharing), `MANAGED_INSTANCES` (when asked for), and whatever `requiresCompatibilities`
    /// names (validation already refused a definition that does not meet it).
    static func compatibilities(of td: TaskDefinition) -> [String] {
        let networkMode = td.networkMode ?? "bridge"
        let required = Set(td.requiresCompatibilities ?? [])
        var result: [String] = []
        if networkMode != "awsvpc" || required.contains("EXTERNAL") { result.append("EXTERNAL") }
        result.append("EC2")
        let fargateSized = td.cpu.flatMap(TaskSize.cpuUnits).flatMap { cpu in
            td.memory.flatMap(TaskSize.memoryMiB).map { TaskSize.isValidFargate(cpu: cpu, memory: $0) }
        } ?? false
        if required.contains("FARGATE") || (networkMode == "awsvpc" && fargateSized && td.pidMode != "host" && td.ipcMode == nil) {
            result.append("FARGATE")
        }
        if required.contains("MANAGED_INSTANCES") { result.append("MANAGED_INSTANCES") }
        return result
    }

    /// The container instance attributes a task of this definition needs, named as the ECS agent
    /// advertises them (e.g. `ecs.capability.task-eni` for awsvpc).
    static func requiredAttributes(of td: TaskDefinition) -> [TaskDefinition.Attribute] {
        var names: [String] = []
        func need(_ name: String) { if !names.contains(name) { names.append(name) } }
        let containers = td.containerDefinitions ?? []
        if td.networkMode == "awsvpc" { need("ecs.capability.task-eni") }
        if td.cpu != nil || td.memory != nil { need("ecs.capability.task-cpu-mem-limit") }
        if td.taskRoleArn != nil { need("com.amazonaws.ecs.capability.task-iam-role") }
        if td.pidMode != nil || td.ipcMode != nil { need("ecs.capability.pid-ipc-namespace-sharing") }
        for c in containers {
            if c.healthCheck != nil { need("ecs.capability.container-health-check") }
            if !(c.dependsOn ?? []).isEmpty { need("ecs.capability.container-ordering") }
            if c.privileged == true { need("com.amazonaws.ecs.capability.privileged-container") }
            if let driver = c.logConfiguration?.logDriver { need("com.amazonaws.ecs.capability.logging-driver.\(driver)") }
        }
        return names.map { TaskDefinition.Attribute(name: $0) }
    }
}
