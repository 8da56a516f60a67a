/// Supervisors' exits as they happen: a supervisor that dies records nothing in its task
/// directory, so without these only looking at every task in turn would notice it.
extension ContainerRuntime {
    /// Whether supervisors' exits are reported (``onSupervisorExit(_:)``) for every task: false
    /// on a kernel without pidfds (before 5.3), where only the tasks this object launched are,
    /// and ``wait(_:timeout:description:until:)`` or ``reconcile()`` notices the others' deaths.
    public var reportsSupervisorExits: Bool { reaper.hasPidfds }

    /// Sets what is called with a task's ID when its supervisor exits, normally or not: for
    /// every task this object launches, and every task passed to ``followSupervisor(of:)``.
    /// Called on a queue of the runtime's that also reaps supervisors: hand the work on. nil
    /// stops the calls.
    public func onSupervisorExit(_ handler: (@Sendable (_ taskID: String) -> Void)?) {
        reaper.onExit(handler)
    }

    /// Reports the exit of the supervisor of task `id` (one launched by another process, found
    /// after a restart) through ``onSupervisorExit(_:)``. Returns whether it is followed now
    /// (true for a task this object launched); false when it cannot be: no pidfds, or no live
    /// supervisor (the caller should look at the task, which may need cleaning up).
    @discardableResult
    public func followSupervisor(of id: String) -> Bool {
        // Its own launches are watched already: no need to read the pid file.
        if reaper.isFollowing(id) { return true }
        guard let identity = supervisorIdentity(id) else { return false }
        return reaper.follow(identity, taskID: id)
    }
}
