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
/// - The host veth is not deleted with its own `RTM_DELLINK`: that request waits for RCU grace
///   periods (often 10-20 ms) under the rtnl lock. Unpinning the namespace lets the kernel
///   destroy both veth ends itself, asynchronously and batched with other namespaces. The host
///   name stays unique meanwhile because it is derived from the task id.
/// - Files inside the task directory (container writable layers, task-scoped volumes, logs)
///   stay until the task is removed, as Docker keeps a stopped container's layer until `rm`:
///   deleting them here cost 10-25 ms of journal waits before STOPPED could be recorded.
public struct TaskTeardown {
    public var plan: SupervisorPlan
    public var layout: TaskLayout

    public init(plan: SupervisorPlan, layout: TaskLayout) {
        self.plan = plan
        self.layout = layout
    }

    /// Runs every step; returns the failures (each already names its step), empty when clean.
    @discardableResult
    public func run() -> [SystemError] {
        var failures: [SystemError] = []
        func attempt(_ body: () throws(SystemError) -> Void) {
            do { try body() } catch { failures.append(error) }
        }
        // Processes first: nothing may hold the network namespace or the rootfs any more.
        attempt { () throws(SystemError) in
            try Cgroup(hierarchy: plan.cgroupHierarchy, path: plan.cgroupPath).remove(children: plan.containers.map(\.name))
        }
        // With no process left inside, this drops the last reference to the namespace: the
        // kernel then removes its eth0 and with it the host end of the veth pair.
        if let namespace = plan.resources.networkNamespacePath {
            attempt { () throws(SystemError) in try NetworkNamespace.remove(at: namespace) }
        }
        // The address lives on eth0 inside the namespace, never on the host, so it may be
        // handed out again while the kernel is still destroying the old pair.
        if let pool = plan.resources.addressPoolDirectory {
            attempt { () throws(SystemError) in try IPAddressPool.release(owner: plan.taskID, directory: pool) }
        }
        return failures
    }
}
