/// Attribute names agents advertise, as the ECS agent spells them, plus Wharf's own.
public enum AgentCapabilities {
    /// Wharf's attribute for a host whose capacity also runs FARGATE tasks (Wharf has no
    /// separate Fargate fleet: such tasks run on hosts carrying this attribute, in any cluster).
    public static let fargateCapacity = "wharf.capability.fargate-capacity"

    /// What ``LocalAgent`` can honour on top of the runtime: awsvpc (`task-eni`), task CPU and
    /// memory limits, health checks, container ordering, and the Docker API versions task
    /// definitions ask for. `task-iam-role` is advertised because Wharf accepts and ignores task
    /// roles (there is no IAM); `logging-driver.awslogs` because such tasks log to the host's
    /// json-file logs instead. Privileged containers and PID/IPC sharing are not offered: a task
    /// that needs them fails placement with `ATTRIBUTE`.
    public static let local: [String] = [
        "ecs.capability.task-eni",
        "ecs.capability.task-cpu-mem-limit",
        "ecs.capability.container-health-check",
        "ecs.capability.container-ordering",
        "ecs.capability.execution-role-awslogs",
        "com.amazonaws.ecs.capability.task-iam-role",
        "com.amazonaws.ecs.capability.task-iam-role-network-host",
        "com.amazonaws.ecs.capability.logging-driver.json-file",
        "com.amazonaws.ecs.capability.logging-driver.awslogs",
        "com.amazonaws.ecs.capability.logging-driver.none",
    ] + dockerRemoteAPIVersions.map { "com.amazonaws.ecs.capability.docker-remote-api.\($0)" }

    /// The Docker remote API versions the ECS agent advertises on a current Docker; task
    /// definitions derive `requiresAttributes` from these.
    static let dockerRemoteAPIVersions = (17...44).map { "1.\($0)" }
}
