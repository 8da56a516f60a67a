import Foundation
import ImageStore
import LinuxHost
import ShimProtocol

/// Resolves a validated `TaskSpec` against the image store into the containers' part of a
/// supervisor plan: layers to directories, users to ids, commands to argv, volumes to paths.
struct LaunchPlanner {
    let images: ImageStore
    let configuration: RuntimeConfiguration

    /// Resolves every container's image first, so a missing image fails before anything is created.
    func resolveImages(_ spec: TaskSpec) throws(RuntimeError) -> [ResolvedImage] {
        var resolved: [ResolvedImage] = []
        for (index, container) in spec.containers.enumerated() {
            do {
                resolved.append(try images.resolve(reference: container.image))
            } catch {
                throw .imageNotFound(field: "containers[\(index)].image", image: container.image, underlying: "\(error)")
            }
        }
        return resolved
    }

    func containerPlans(
        for spec: TaskSpec, images resolved: [ResolvedImage], layout: TaskLayout
    ) throws(RuntimeError) -> [ContainerPlan] {
        var plans: [ContainerPlan] = []
        for (index, container) in spec.containers.enumerated() {
            let image = resolved[index]
            let defaults = image.runtimeConfig
            let layers = Array(image.layerDirectories.reversed())
            let identity: UserResolver.Identity
            do {
                identity = try UserResolver(layers: layers).resolve(container.user ?? defaults.user.flatMap { $0.isEmpty ? nil : $0 })
            } catch {
                throw .invalidSpec(field: "containers[\(index)].user", message: error.description)
            }
            let arguments = Self.arguments(container: container, image: defaults)
            guard !arguments.isEmpty else {
                throw .invalidSpec(
                    field: "containers[\(index)].command",
                    message: "no command: the image \(container.image) has no ENTRYPOINT or CMD, so entryPoint or command is required")
            }
            var mounts: [ContainerPlan.BindMount] = []
            for mount in container.mountPoints {
                guard let volume = spec.volumes.first(where: { $0.name == mount.sourceVolume }) else { continue }
                let source = volume.hostSourcePath ?? layout.volume(volume.name)
                mounts.append(.init(source: source, target: mount.containerPath, readOnly: mount.readOnly))
            }
            plans.append(
                ContainerPlan(
                    name: container.name, essential: container.essential, arguments: arguments,
                    environment: Self.environment(container: container, image: defaults, home: identity.home),
                    workingDirectory: container.workingDirectory ?? defaults.workingDir.flatMap { $0.isEmpty ? nil : $0 } ?? "/",
                    uid: identity.uid, gid: identity.gid, supplementaryGroups: identity.supplementaryGroups,
                    capabilities: CapabilitySet.mask(adding: container.capabilitiesAdd, dropping: container.capabilitiesDrop),
                    noNewPrivileges: true, initProcess: container.initProcessEnabled,
                    readonlyRootFilesystem: container.readonlyRootFilesystem, layerDirectories: layers, mounts: mounts,
                    resourceLimits: container.ulimits.compactMap { limit in
                        TaskSpec.ulimitResources[limit.name].map {
                            .init(resource: $0, soft: UInt64(limit.softLimit), hard: UInt64(limit.hardLimit))
                        }
                    },
                    dependsOn: container.dependsOn.map { .init(containerName: $0.containerName, condition: $0.condition.rawValue) },
                    healthCheck: Self.healthCheck(container.healthCheck),
                    stopTimeout: container.stopTimeout ?? 30,
                    logMaxBytes: container.logMaxBytes ?? configuration.logMaxBytes,
                    logMaxFiles: container.logMaxFiles ?? configuration.logMaxFiles))
        }
        return plans
    }

    /// Docker's rule: an entryPoint given replaces the image's ENTRYPOINT *and* drops its CMD;
    /// a command given replaces CMD.
    static func arguments(container: ContainerSpec, image: ImageRuntimeConfig) -> [String] {
        if let entryPoint = container.entryPoint, !entryPoint.isEmpty {
            return entryPoint + (container.command ?? [])
        }
        return (image.entrypoint ?? []) + (container.command ?? image.cmd ?? [])
    }

    /// The image's environment, then the container's (later names win), with PATH and HOME defaulted.
    static func environment(container: ContainerSpec, image: ImageRuntimeConfig, home: String?) -> [String] {
        var order: [String] = []
        var values: [String: String] = [:]
        func set(_ name: String, _ value: String) {
            if values[name] == nil { order.append(name) }
            values[name] = value
        }
        for entry in image.env ?? [] {
            if let equals = entry.firstIndex(of: "=") {
                set(String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
            }
        }
        for variable in container.environment { set(variable.name, variable.value) }
        if values["PATH"] == nil { set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") }
        if values["HOME"] == nil { set("HOME", home ?? "/") }
        return order.map { "\($0)=\(values[$0] ?? "")" }
    }

    /// ECS health check command to exec form: `CMD a b` runs `a b`, `CMD-SHELL s` runs `/bin/sh -c s`.
    static func healthCheck(_ check: HealthCheckSpec?) -> HealthCheckPlan? {
        guard let check, let kind = check.command.first, kind != "NONE" else { return nil }
        let rest = Array(check.command.dropFirst())
        let arguments = kind == "CMD-SHELL" ? ["/bin/sh", "-c", rest.joined(separator: " ")] : rest
        return HealthCheckPlan(
            arguments: arguments, intervalSeconds: check.interval, timeoutSeconds: check.timeout, retries: check.retries,
            startPeriodSeconds: check.startPeriod)
    }
}
