/// How far a service's task is, as ECS judges it: RUNNING, its essential containers' health
/// checks passing and its targets healthy in their target groups. Shared by the service
/// controller (what to replace, when a rollout is done) and autoscaling (healthy capacity).
enum ServiceTaskHealth {
    /// How far a live task is, from its status, its containers' health and its targets' health.
    static func classify(_ task: TaskRecord, definition: TaskDefinition?, targetGroups: (any TargetGroupCatalog)?,
                         grace: Double, now: Double) -> RolloutPlanner.Health {
        guard task.lastStatus == .running else { return .pending }
        let document = task.decodedDocument
        let inGrace = (task.startedAt ?? now) + grace > now
        let checked = Set((definition?.containerDefinitions ?? [])
            .filter { $0.healthCheck != nil && ($0.essential ?? true) }
            .compactMap(\.name))
        let checkedStates = document.containers.filter { checked.contains($0.name) }.map(\.healthStatus)
        if checkedStates.contains("UNHEALTHY") && !inGrace {
            return .unhealthy(reason: "Task failed container health checks")
        }
        var healthy = checkedStates.allSatisfy { $0 == "HEALTHY" }
        if let targetGroups {
            for target in document.loadBalancerTargets(taskArn: task.arn, address: document.address) {
                guard let state = targetGroups.health(of: target) else {
                    healthy = false
                    continue
                }
                switch state.state {
                case "healthy", "unused": break
                case "unhealthy" where !inGrace:
                    return .unhealthy(reason: "Task failed ELB health checks in (target-group \(target.targetGroup))")
                default: healthy = false
                }
            }
        }
        return healthy ? .healthy : .starting
    }

}
