import CWharfLaunch
import LinuxHost
import ShimProtocol

#if canImport(Glibc)
import Glibc
#endif

/// wharf-shim TASK_DIRECTORY
///
/// The per-task supervisor. Started by the runtime once the task's network, cgroups and plan
/// are ready, as a session leader of its own (the task outlives the runtime and its terminal);
/// the runtime records its pid. It runs the task to its end, releases the task's resources and
/// exits. Its whole record is the task directory. It holds the task's network namespace as
/// descriptor `TaskResources.inheritedNetworkNamespaceDescriptor` when the plan says so.

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    report("usage: wharf-shim TASK_DIRECTORY")
    exit(2)
}
let layout = TaskLayout(directory: arguments[1])
let namespaceDescriptor = TaskResources.inheritedNetworkNamespaceDescriptor
// Nothing else the spawner had open belongs to the task.
wharf_close_from(UInt32(namespaceDescriptor + 1))
wharf_set_child_subreaper()

do {
    let plan = try SupervisorPlan(decoding: try FileSystem.read(layout.plan))
    // The plan names the namespace descriptor it expects; without one, descriptor 3 is not ours.
    let networkNamespaceFD = plan.resources.networkNamespaceDescriptor
    if networkNamespaceFD == nil {
        close(namespaceDescriptor)
    } else if networkNamespaceFD != namespaceDescriptor {
        report("the plan names network namespace descriptor \(networkNamespaceFD ?? -1); the runtime hands it over as \(namespaceDescriptor)")
        exit(1)
    }
    let events = try EventLog(path: layout.events)
    events.append(.supervisorStarted(pid: getpid(), at: Clock.wallNanoseconds()))
    let supervisor = try Supervisor(plan: plan, layout: layout, events: events)
    supervisor.run()
    for failure in TaskTeardown(plan: plan, networkNamespaceFD: networkNamespaceFD).run() {
        report("teardown: \(failure)")
    }
    events.append(.taskStopped(at: Clock.wallNanoseconds()))
    exit(0)
} catch {
    report("\(error)")
    exit(1)
}
