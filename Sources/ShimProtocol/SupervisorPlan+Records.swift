import LinuxHost

/// The plan's file form: a `task` record, a `resources` record, then one `container` record each.
extension SupervisorPlan {
    /// Errors reading a plan file.
    public struct DecodingError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The plan as file text.
    public var encoded: String {
        var task = Record("task")
        task.add("id", taskID)
        task.add("hostname", hostname)
        task.add("cgroup", cgroupPath)
        // Absent in plans written before containers could share the task's cgroup.
        task.add("cgroup.containers", containersHaveOwnCgroups ? nil : Self.sharedCgroupValue)
        switch cgroupHierarchy {
        case .unified(let root):
            task.add("cgroup.v2", root)
        case .legacy(let mounts):
            for controller in mounts.keys.sorted() {
                task.add("cgroup.v1", controller + ":" + (mounts[controller] ?? ""))
            }
        }
        var owned = Record("resources")
        owned.add("veth", resources.vethName)
        owned.add("netns.fd", resources.networkNamespaceDescriptor.map(String.init))
        owned.add("pool", resources.addressPoolDirectory)
        owned.add("address", resources.address)
        if let published = resources.publishedPorts {
            owned.add("nat.table", published.table)
            owned.add("nat.chain", published.chain)
            owned.add("nat.ports", published.ports.map(\.text).joined(separator: " "))
            owned.add("ports.pool", published.poolDirectory)
            owned.add("ports.owner", published.owner)
        }
        var lines = [task.encoded, owned.encoded]
        for container in containers { lines.append(container.record.encoded) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads a plan from file text.
    public init(decoding text: String) throws(DecodingError) {
        let records = Record.parseAll(text)
        guard let task = records.first(where: { $0.kind == "task" }), let id = task["id"], let cgroup = task["cgroup"]
        else { throw DecodingError(description: "plan has no task record with id and cgroup") }
        let hierarchy = try Self.decodeHierarchy(task)
        let sharing = task["cgroup.containers"]
        guard sharing == nil || sharing == Self.sharedCgroupValue else {
            throw DecodingError(description: "plan: bad cgroup.containers field \(sharing ?? "")")
        }
        let owned = records.first(where: { $0.kind == "resources" })
        var containers: [ContainerPlan] = []
        for record in records where record.kind == "container" {
            containers.append(try ContainerPlan(record: record))
        }
        var published: PublishedPorts?
        if let owned { published = try Self.decodePublishedPorts(owned) }
        self.init(
            taskID: id, hostname: task["hostname"], cgroupPath: cgroup, containersHaveOwnCgroups: sharing == nil,
            cgroupHierarchy: hierarchy,
            resources: TaskResources(
                vethName: owned?["veth"], networkNamespaceDescriptor: try Self.decodeDescriptor(owned?["netns.fd"]),
                addressPoolDirectory: owned?["pool"], address: owned?["address"],
                publishedPorts: published),
            containers: containers)
    }

    /// The `nat.*` and `ports.*` fields of a resources record, all or none.
    private static func decodePublishedPorts(_ owned: Record) throws(DecodingError) -> PublishedPorts? {
        let keys = ["nat.table", "nat.chain", "nat.ports", "ports.pool", "ports.owner"]
        let present = keys.filter { owned[$0] != nil }
        if present.isEmpty { return nil }
        // A plan of the first bridge-mode release (a table per task: `nat.table` and `ports`
        // alone) names nothing this teardown removes: the runtime's sweep deletes such tables.
        if present == ["nat.table"], owned["ports"] != nil { return nil }
        guard let table = owned["nat.table"], let chain = owned["nat.chain"], let ports = owned["nat.ports"],
              let pool = owned["ports.pool"], let owner = owned["ports.owner"]
        else {
            throw DecodingError(description: "plan: \(present.joined(separator: ", ")) without \(keys.filter { owned[$0] == nil }.joined(separator: ", "))")
        }
        var decoded: [HostPort] = []
        for text in ports.split(separator: " ") {
            guard let port = HostPort(text: text) else { throw DecodingError(description: "plan: bad nat.ports entry \(text)") }
            decoded.append(port)
        }
        return PublishedPorts(table: table, chain: chain, ports: decoded, poolDirectory: pool, owner: owner)
    }

    /// `cgroup.containers`'s one value: the containers run in the task's cgroup.
    private static let sharedCgroupValue = "task"

    /// The `netns.fd` field: absent, or a descriptor number above standard error.
    private static func decodeDescriptor(_ text: String?) throws(DecodingError) -> Int32? {
        guard let text else { return nil }
        guard let descriptor = Int32(text), descriptor > 2 else {
            throw DecodingError(description: "plan: bad netns.fd field \(text)")
        }
        return descriptor
    }

    /// `cgroup.v2=ROOT`, or one `cgroup.v1=CONTROLLER:MOUNT` per controller.
    private static func decodeHierarchy(_ task: Record) throws(DecodingError) -> CgroupHierarchy {
        if let root = task["cgroup.v2"] { return .unified(root: root) }
        var mounts: [String: String] = [:]
        for text in task.all("cgroup.v1") {
            guard let colon = text.firstIndex(of: ":") else {
                throw DecodingError(description: "plan: bad cgroup.v1 field \(text)")
            }
            mounts[String(text[..<colon])] = String(text[text.index(after: colon)...])
        }
        guard !mounts.isEmpty else { throw DecodingError(description: "plan names no cgroup hierarchy") }
        return .legacy(mounts: mounts)
    }
}

extension ContainerPlan {
    var record: Record {
        var record = Record("container")
        record.add("name", name)
        record.add("essential", essential ? "1" : "0")
        for argument in arguments { record.add("arg", argument) }
        for variable in environment { record.add("env", variable) }
        record.add("cwd", workingDirectory)
        record.add("uid", "\(uid)")
        record.add("gid", "\(gid)")
        for group in supplementaryGroups { record.add("group", "\(group)") }
        record.add("caps", "\(capabilities)")
        record.add("nnp", noNewPrivileges ? "1" : "0")
        record.add("init", initProcess ? "1" : "0")
        record.add("readonly", readonlyRootFilesystem ? "1" : "0")
        for layer in layerDirectories { record.add("layer", layer) }
        for mount in mounts {
            record.add("mount", mount.source)
            record.add("mount.target", mount.target)
            record.add("mount.ro", mount.readOnly ? "1" : "0")
        }
        for limit in resourceLimits { record.add("rlimit", "\(limit.resource):\(limit.soft):\(limit.hard)") }
        for dependency in dependsOn { record.add("depends", "\(dependency.containerName):\(dependency.condition)") }
        if let check = healthCheck {
            for argument in check.arguments { record.add("hc.arg", argument) }
            record.add("hc.interval", "\(check.intervalSeconds)")
            record.add("hc.timeout", "\(check.timeoutSeconds)")
            record.add("hc.retries", "\(check.retries)")
            record.add("hc.start", "\(check.startPeriodSeconds)")
        }
        record.add("stop", "\(stopTimeout)")
        record.add("log.bytes", "\(logMaxBytes)")
        record.add("log.files", "\(logMaxFiles)")
        return record
    }

    init(record: Record) throws(SupervisorPlan.DecodingError) {
        guard let name = record["name"] else {
            throw SupervisorPlan.DecodingError(description: "container record without a name")
        }
        func number<T: FixedWidthInteger>(_ key: String, _ type: T.Type) throws(SupervisorPlan.DecodingError) -> T {
            guard let text = record[key], let value = T(text) else {
                throw SupervisorPlan.DecodingError(description: "container \(name): field \(key) missing or not a number")
            }
            return value
        }
        let sources = record.all("mount"), targets = record.all("mount.target"), readOnly = record.all("mount.ro")
        guard sources.count == targets.count, targets.count == readOnly.count else {
            throw SupervisorPlan.DecodingError(description: "container \(name): incomplete mount fields")
        }
        var limits: [ResourceLimit] = []
        for text in record.all("rlimit") {
            let parts = text.split(separator: ":")
            guard parts.count == 3, let resource = Int32(parts[0]), let soft = UInt64(parts[1]),
                let hard = UInt64(parts[2])
            else { throw SupervisorPlan.DecodingError(description: "container \(name): bad rlimit \(text)") }
            limits.append(ResourceLimit(resource: resource, soft: soft, hard: hard))
        }
        var dependencies: [Dependency] = []
        for text in record.all("depends") {
            guard let colon = text.lastIndex(of: ":") else {
                throw SupervisorPlan.DecodingError(description: "container \(name): bad dependency \(text)")
            }
            dependencies.append(
                Dependency(containerName: String(text[..<colon]), condition: String(text[text.index(after: colon)...])))
        }
        var check: HealthCheckPlan?
        let checkArguments = record.all("hc.arg")
        if !checkArguments.isEmpty {
            check = HealthCheckPlan(
                arguments: checkArguments, intervalSeconds: try number("hc.interval", Int.self),
                timeoutSeconds: try number("hc.timeout", Int.self), retries: try number("hc.retries", Int.self),
                startPeriodSeconds: try number("hc.start", Int.self))
        }
        self.init(
            name: name, essential: record.bool("essential"), arguments: record.all("arg"),
            environment: record.all("env"), workingDirectory: record["cwd"] ?? "/",
            uid: try number("uid", UInt32.self), gid: try number("gid", UInt32.self),
            supplementaryGroups: record.all("group").compactMap { UInt32($0) },
            capabilities: try number("caps", UInt64.self), noNewPrivileges: record.bool("nnp"),
            initProcess: record.bool("init"), readonlyRootFilesystem: record.bool("readonly"),
            layerDirectories: record.all("layer"),
            mounts: (0..<sources.count).map {
                BindMount(source: sources[$0], target: targets[$0], readOnly: readOnly[$0] == "1")
            },
            resourceLimits: limits, dependsOn: dependencies, healthCheck: check,
            stopTimeout: try number("stop", Int.self), logMaxBytes: try number("log.bytes", Int.self),
            logMaxFiles: try number("log.files", Int.self))
    }
}
