import LinuxHost

#if canImport(Glibc)
import Glibc
#endif

/// Releases everything a task holds on the host, found by the names the plan recorded.
///
/// Run by the supervisor when its task has stopped, and by the runtime for a task whose
/// supervisor died. Every step tolerates a resource that is already gone, so running it twice,
/// or after a crash halfway through, finishes the job instead of failing.
///
/// Only host resources are released here, so the task can be recorded STOPPED as soon as it
/// holds nothing another task could want:
/// - The host veth is normally not deleted with its own `RTM_DELLINK`: that request waits for
///   RCU grace periods (often 10-20 ms) under the rtnl lock. Closing the descriptor that pins
///   the namespace (the last reference once the processes are gone) lets the kernel destroy
///   both veth ends itself, asynchronously and batched with other namespaces.
///   The host name stays unique meanwhile because it is derived from the task id. Only when
///   the cgroup could not be emptied (a process stuck in uninterruptible sleep keeps the
///   namespace alive) is the pair deleted explicitly, so its address is free when released.
/// - The task's files (container writable layers, task-scoped volumes, logs, its record)
///   stay until the task is removed, as Docker keeps a stopped container's layer until `rm`:
///   deleting them here cost 10-25 ms of journal waits before STOPPED could be recorded.
public struct TaskTeardown {
    public var plan: SupervisorPlan
    /// The caller's descriptor of the task's network namespace, closed by `run()`: the
    /// supervisor's (`plan.resources.networkNamespaceDescriptor`), or the runtime's while it
    /// rolls back a launch. `nil` for a caller that holds none (the runtime cleaning up after a
    /// dead supervisor, whose descriptor died with it).
    public var networkNamespaceFD: Int32?
    /// The nf_tables socket to unpublish the task's ports with; nil opens one for the teardown.
    /// Closing a netfilter socket right after deleting rules waits for an RCU grace period
    /// (the kernel finishes freeing what was deleted first, 10-25 ms measured): a caller on a
    /// hurry (the supervisor, before it records STOPPED) passes one it closes later.
    public var netfilter: NetfilterTables?

    public init(plan: SupervisorPlan, networkNamespaceFD: Int32?, netfilter: NetfilterTables? = nil) {
        self.plan = plan
        self.networkNamespaceFD = networkNamespaceFD
        self.netfilter = netfilter
    }

    /// Runs every step; returns the failures (each already names its step), empty when clean.
    @discardableResult
    public func run() -> [SystemError] {
        var failures: [SystemError] = []
        func attempt(_ body: () throws(SystemError) -> Void) -> Bool {
            do {
                try body()
                return true
            } catch {
                failures.append(error)
                return false
            }
        }
        // Processes first: nothing may hold the network namespace or the rootfs any more.
        let processesGone = attempt { () throws(SystemError) in
            try Cgroup(hierarchy: plan.cgroupHierarchy, path: plan.cgroupPath).remove(children: plan.containerCgroupNames)
        }
        // A process left in the cgroup may keep the namespace, and with it eth0 and its
        // address, alive after the unpinning below: delete the pair (and so eth0) explicitly.
        var addressUnused = true
        if !processesGone, let veth = plan.resources.vethName {
            addressUnused = attempt { () throws(SystemError) in
                let netlink = try RouteNetlink()
                _ = try netlink.deleteLink(named: veth)
            }
        }
        // With no process left inside, this drops the last reference to the namespace: the
        // kernel then removes its eth0 and with it the host end of the veth pair.
        if let networkNamespaceFD {
            close(networkNamespaceFD)
        }
        // A published port's rule names the task's address: it goes before the address and the
        // ports can be handed to another task. If it cannot, both stay taken (the runtime's
        // orphan sweep deletes the table and releases them later).
        if let published = plan.resources.publishedPorts {
            let unpublished = attempt { () throws(SystemError) in
                if let netfilter {
                    try published.unpublish(with: netfilter)
                } else {
                    try published.unpublish(with: NetfilterTables())
                }
            }
            addressUnused = unpublished && addressUnused
            if addressUnused {
                _ = attempt { () throws(SystemError) in try HostPortPool.release(owner: published.owner, directory: published.poolDirectory) }
            }
        }
        // The address lives on eth0 inside the namespace, never on the host, so it may be
        // handed out again while the kernel is still destroying the old pair. If eth0 may
        // still be up, the address stays taken; the runtime's orphan sweep releases it later.
        if addressUnused, let pool = plan.resources.addressPoolDirectory {
            _ = attempt { () throws(SystemError) in try IPAddressPool.release(owner: plan.taskID, directory: pool) }
        }
        return failures
    }
}
