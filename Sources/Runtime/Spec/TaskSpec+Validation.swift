import CWharfLaunch

extension TaskSpec {
    /// ECS's ulimit names and the `RLIMIT_*` each maps to on Linux.
    public static let ulimitResources: [String: Int32] = [
        "core": 4, "cpu": 0, "data": 2, "fsize": 1, "locks": 10, "memlock": 8, "msgqueue": 12, "nice": 13,
        "nofile": 7, "nproc": 6, "rss": 5, "rtprio": 14, "rttime": 15, "sigpending": 11, "stack": 3,
    ]

    /// Checks the spec on its own (images are checked when the launch resolves them). The first
    /// problem found is thrown, naming the field by its path.
    public func validate() throws(RuntimeError) {
        func fail(_ field: String, _ message: String) -> RuntimeError {
            .invalidSpec(field: field, message: message)
        }
        guard (1...10).contains(containers.count) else {
            throw fail("containers", "a task has 1 to 10 containers, not \(containers.count)")
        }
        if let cpu, cpu < 128 || cpu > 196_608 {
            throw fail("cpu", "task cpu must be 128 to 196608 units, not \(cpu)")
        }
        if let memory, memory < 6 {
            throw fail("memory", "task memory must be at least 6 MiB, not \(memory)")
        }
        var volumeNames: Set<String> = []
        for (index, volume) in volumes.enumerated() {
            let field = "volumes[\(index)]"
            guard Self.isValidName(volume.name) else {
                throw fail(field + ".name", "must be 1-255 letters, numbers, hyphens and underscores")
            }
            guard volumeNames.insert(volume.name).inserted else {
                throw fail(field + ".name", "duplicate volume name \(volume.name)")
            }
            if let path = volume.hostSourcePath, !path.hasPrefix("/") {
                throw fail(field + ".host.sourcePath", "must be an absolute path, not \(path)")
            }
        }
        var names: Set<String> = []
        for (index, container) in containers.enumerated() {
            let field = "containers[\(index)]"
            guard Self.isValidName(container.name) else {
                throw fail(field + ".name", "must be 1-255 letters, numbers, hyphens and underscores")
            }
            guard names.insert(container.name).inserted else {
                throw fail(field + ".name", "duplicate container name \(container.name)")
            }
            try container.validate(field: field, task: self, volumeNames: volumeNames)
        }
        guard containers.contains(where: \.essential) else {
            throw fail("containers", "at least one container must be essential")
        }
        if networkMode == .bridge {
            // One host port serves one mapping: the kernel (or the NAT rule) could deliver to
            // only one of two.
            var hostPorts: Set<String> = []
            for (index, container) in containers.enumerated() {
                for (mappingIndex, mapping) in container.portMappings.enumerated() {
                    guard let port = mapping.hostPort, port != 0 else { continue }
                    guard hostPorts.insert("\(mapping.transportProtocol.rawValue)/\(port)").inserted else {
                        throw fail("containers[\(index)].portMappings[\(mappingIndex)].hostPort",
                                   "host port \(mapping.transportProtocol.rawValue) \(port) is mapped twice in the task")
                    }
                }
            }
        }
        let containerCPU = containers.reduce(0) { $0 + $1.cpu }
        if let cpu, containerCPU > cpu {
            throw fail("containers[].cpu", "containers ask for \(containerCPU) cpu units, more than the task's \(cpu)")
        }
        try validateDependencies()
    }

    /// Dependencies name other containers of the task, with a condition the other container
    /// can reach, and form no cycle.
    private func validateDependencies() throws(RuntimeError) {
        for (index, container) in containers.enumerated() {
            for (position, dependency) in container.dependsOn.enumerated() {
                let field = "containers[\(index)].dependsOn[\(position)]"
                guard let other = containers.first(where: { $0.name == dependency.containerName }) else {
                    throw .invalidSpec(
                        field: field + ".containerName", message: "no container named \(dependency.containerName) in the task")
                }
                guard dependency.containerName != container.name else {
                    throw .invalidSpec(
                        field: field + ".containerName", message: "container \(container.name) cannot depend on itself")
                }
                try Self.validateCondition(dependency.condition, on: other, field: field + ".condition")
            }
        }
        // Depth-first search; a container met again on the current path closes a cycle.
        var finished: Set<String> = []
        var path: [String] = []
        func visit(_ name: String) throws(RuntimeError) {
            if finished.contains(name) { return }
            if let start = path.firstIndex(of: name) {
                let cycle = (path[start...] + [name]).joined(separator: " -> ")
                throw .invalidSpec(field: "containers[].dependsOn", message: "dependency cycle: \(cycle)")
            }
            path.append(name)
            for dependency in containers.first(where: { $0.name == name })?.dependsOn ?? [] {
                try visit(dependency.containerName)
            }
            path.removeLast()
            finished.insert(name)
        }
        for container in containers { try visit(container.name) }
    }

    /// ECS `ContainerDependency.condition`: COMPLETE and SUCCESS cannot be set on an essential
    /// container (its exit stops the task), and HEALTHY needs a container with a health check
    /// (without one it never becomes HEALTHY and the dependent would wait forever).
    private static func validateCondition(
        _ condition: ContainerDependency.Condition, on other: ContainerSpec, field: String
    ) throws(RuntimeError) {
        switch condition {
        case .complete, .success:
            if other.essential {
                throw .invalidSpec(
                    field: field, message: "the \(condition.rawValue) condition cannot be set on essential container \(other.name)")
            }
        case .healthy:
            if other.healthCheck == nil {
                throw .invalidSpec(
                    field: field, message: "the HEALTHY condition requires container \(other.name) to have a health check")
            }
        case .start:
            break
        }
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }
}

extension ContainerSpec {
    func validate(field: String, task: TaskSpec, volumeNames: Set<String>) throws(RuntimeError) {
        func fail(_ member: String, _ message: String) -> RuntimeError {
            .invalidSpec(field: field + "." + member, message: message)
        }
        guard !image.isEmpty else { throw fail("image", "an image is required") }
        if cpu < 0 { throw fail("cpu", "must not be negative") }
        if let memory {
            guard memory >= 6 else { throw fail("memory", "must be at least 6 MiB, not \(memory)") }
            if let taskMemory = task.memory, memory > taskMemory {
                throw fail("memory", "\(memory) MiB is more than the task's \(taskMemory) MiB")
            }
        }
        if let reservation = memoryReservation {
            guard reservation >= 6 else { throw fail("memoryReservation", "must be at least 6 MiB, not \(reservation)") }
            if let memory, reservation > memory {
                throw fail("memoryReservation", "\(reservation) MiB is more than the hard limit \(memory) MiB")
            }
            if let taskMemory = task.memory, reservation > taskMemory {
                throw fail("memoryReservation", "\(reservation) MiB is more than the task's \(taskMemory) MiB")
            }
        }
        if let stopTimeout, !(0...120).contains(stopTimeout) {
            throw fail("stopTimeout", "must be 0 to 120 seconds, not \(stopTimeout)")
        }
        if let user, user.isEmpty || user.split(separator: ":", omittingEmptySubsequences: false).count > 2 {
            throw fail("user", "must be user, uid, user:group or uid:gid")
        }
        if let directory = workingDirectory, !directory.hasPrefix("/") {
            throw fail("workingDirectory", "must be an absolute path, not \(directory)")
        }
        for (index, mapping) in portMappings.enumerated() {
            guard (1...65535).contains(mapping.containerPort) else {
                throw fail("portMappings[\(index)].containerPort", "must be 1 to 65535, not \(mapping.containerPort)")
            }
            if let hostPort = mapping.hostPort {
                guard (0...65535).contains(hostPort) else {
                    throw fail("portMappings[\(index)].hostPort", "must be 0 to 65535, not \(hostPort)")
                }
                if task.networkMode == .awsvpc || task.networkMode == .host, hostPort != 0, hostPort != mapping.containerPort {
                    throw fail(
                        "portMappings[\(index)].hostPort",
                        "in \(task.networkMode.rawValue) mode the host port must equal the container port \(mapping.containerPort)")
                }
            }
        }
        for (index, name) in (capabilitiesAdd + capabilitiesDrop).enumerated() where name.uppercased() != "ALL" {
            guard wharf_capability_from_name(name) >= 0 else {
                let member = index < capabilitiesAdd.count
                    ? "capabilities.add[\(index)]" : "capabilities.drop[\(index - capabilitiesAdd.count)]"
                throw fail(member, "unknown capability \(name)")
            }
        }
        for (index, limit) in ulimits.enumerated() {
            guard TaskSpec.ulimitResources[limit.name] != nil else {
                throw fail("ulimits[\(index)].name", "unknown ulimit \(limit.name)")
            }
            guard limit.softLimit >= 0, limit.softLimit <= limit.hardLimit else {
                throw fail("ulimits[\(index)].softLimit", "must be between 0 and the hard limit \(limit.hardLimit)")
            }
        }
        for (index, mount) in mountPoints.enumerated() {
            guard volumeNames.contains(mount.sourceVolume) else {
                throw fail("mountPoints[\(index)].sourceVolume", "no volume named \(mount.sourceVolume) in the task")
            }
            guard mount.containerPath.hasPrefix("/"), !mount.containerPath.split(separator: "/").contains("..") else {
                throw fail("mountPoints[\(index)].containerPath", "must be an absolute path without '..'")
            }
        }
        if let check = healthCheck {
            guard let kind = check.command.first, ["CMD", "CMD-SHELL", "NONE"].contains(kind),
                kind == "NONE" || check.command.count >= 2
            else {
                throw fail("healthCheck.command", "must start with CMD, CMD-SHELL or NONE followed by the command")
            }
            guard (5...300).contains(check.interval) else { throw fail("healthCheck.interval", "must be 5 to 300 seconds") }
            guard (2...60).contains(check.timeout) else { throw fail("healthCheck.timeout", "must be 2 to 60 seconds") }
            guard (1...10).contains(check.retries) else { throw fail("healthCheck.retries", "must be 1 to 10") }
            guard (0...300).contains(check.startPeriod) else {
                throw fail("healthCheck.startPeriod", "must be 0 to 300 seconds")
            }
        }
        if let bytes = logMaxBytes, bytes < 4096 { throw fail("logMaxBytes", "must be at least 4096") }
        if let files = logMaxFiles, !(1...100).contains(files) { throw fail("logMaxFiles", "must be 1 to 100") }
    }
}
