extension TaskReconciler {
    /// What `wharf serve` does with the local host when it starts: registers the host (through
    /// `agent.describeHost()`) as a container instance of `cluster`, creating the cluster if
    /// needed and reusing the host's earlier registration; attaches the agent (re-adopting its
    /// running tasks and recording those that ended while the daemon was down); and starts the
    /// periodic resync and purge.
    ///
    /// `api` must be the ``ECSAPI`` whose ``ECSAPI/taskObserver`` is this reconciler.
    public func startLocalHost(_ agent: any ContainerAgent, api: ECSAPI, cluster: String = "default",
                               context: ECSRequestContext) async throws -> RegisteredHost {
        let host = try api.registerHost(try await agent.describeHost(), cluster: cluster, context: context)
        await attach(agent, containerInstanceID: host.containerInstanceID)
        start()
        return host
    }
}
