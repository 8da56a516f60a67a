import LinuxHost

#if canImport(Glibc)
import Glibc
#endif

/// Releases everything a task holds on the host, found by the names the plan recorded.
///
/// Run by the supervisor when its task has stopped, and by the runtime for a task whose
/// supervisor died. Every step tolerates a resource that is already gone, so running it twice,
/// or after a crash halfway through, finishes the job instead of failing.
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
        if let veth = plan.resources.vethName {
            attempt { () throws(SystemError) in
                let netlink = try RouteNetlink()
                _ = try netlink.deleteLink(named: veth)
            }
        }
        if let namespace = plan.resources.networkNamespacePath {
            attempt { () throws(SystemError) in try NetworkNamespace.remove(at: namespace) }
        }
        if let pool = plan.resources.addressPoolDirectory {
            attempt { () throws(SystemError) in try IPAddressPool.release(owner: plan.taskID, directory: pool) }
        }
        attempt { () throws(SystemError) in try FileSystem.removeTree(layout.containers) }
        attempt { () throws(SystemError) in try FileSystem.removeTree(layout.volumes) }
        return failures
    }
}
