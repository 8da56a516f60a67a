import CWharfLaunch
import LinuxHost
import ShimProtocol

#if canImport(Glibc)
import Glibc
#endif

/// wharf-shim TASK_DIRECTORY
///
/// The per-task supervisor. Spawned by the runtime as soon as the task directory exists, as a
/// session leader of its own (the task outlives the runtime and its terminal); the runtime
/// records its pid. It starts up, then waits for the runtime's start message (see
/// `SupervisorStart`), which comes once the task's cgroups, network and plan are ready, with the
/// task's network namespace. It runs the task to its end, releases the task's resources and
/// exits. Its whole record is the task directory.

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    report("usage: wharf-shim TASK_DIRECTORY")
    exit(2)
}
let layout = TaskLayout(directory: arguments[1])
// Nothing but the start socket belongs to the task of what the spawner had open.
wharf_close_from(UInt32(SupervisorStart.socketDescriptor + 1))
wharf_set_child_subreaper()
let namespaceDescriptor = TaskResources.inheritedNetworkNamespaceDescriptor
/// Containers prepared on the runtime's prepare message, by name (see `PreparedContainer`).
var prepared: [String: PreparedContainer] = [:]
let receivedNamespace: Int32?
do {
    // Named in supervisor.pid while the runtime still prepares the task (it checks, and writes
    // the same line itself if this has not happened by the time the task starts).
    if let identity = ProcessIdentity.of(pid: getpid()) {
        try FileSystem.writeAtomically(layout.supervisorPID, identity.description + "\n")
    }
    waiting: while true {
        switch try awaitStartSignal() {
        case .prepare:
            prepared = prepareContainers(plan: try SupervisorPlan(decoding: try FileSystem.read(layout.plan)), layout: layout)
        case .start(let namespace):
            receivedNamespace = namespace
            break waiting
        case .abandoned:
            PreparedContainer.abandonAll(prepared)
            exit(0)
        }
    }
} catch {
    report("\(error)")
    PreparedContainer.abandonAll(prepared)
    exit(1)
}

do {
    let plan = try SupervisorPlan(decoding: try FileSystem.read(layout.plan))
    // The plan names the namespace descriptor it expects: the one the start message carried
    // (moved to `namespaceDescriptor`), or none for the host's network.
    let networkNamespaceFD = plan.resources.networkNamespaceDescriptor
    guard networkNamespaceFD == receivedNamespace else {
        report("the plan names network namespace descriptor \(networkNamespaceFD ?? -1); the runtime sent \(receivedNamespace == nil ? "none" : "one") for \(namespaceDescriptor)")
        PreparedContainer.abandonAll(prepared)
        exit(1)
    }
    let events = try EventLog(path: layout.events)
    events.append(.supervisorStarted(pid: getpid(), at: Clock.wallNanoseconds()))
    let supervisor = try Supervisor(plan: plan, layout: layout, events: events, prepared: prepared)
    prepared = [:]
    supervisor.run()
    for failure in TaskTeardown(plan: plan, networkNamespaceFD: networkNamespaceFD).run() {
        report("teardown: \(failure)")
    }
    events.append(.taskStopped(at: Clock.wallNanoseconds()))
    exit(0)
} catch {
    report("\(error)")
    PreparedContainer.abandonAll(prepared)
    exit(1)
}

/// Prepares the containers of `plan` that start at once (those without dependencies). One that
/// cannot be prepared is left to start the ordinary way, which reports why it cannot.
func prepareContainers(plan: SupervisorPlan, layout: TaskLayout) -> [String: PreparedContainer] {
    let launcher = ContainerLauncher(plan: plan, layout: layout)
    var prepared: [String: PreparedContainer] = [:]
    for container in plan.containers where container.dependsOn.isEmpty {
        do {
            prepared[container.name] = try launcher.prepare(container)
        } catch {
            report("\(error)")
        }
    }
    return prepared
}
