import CWharfLaunch
import LinuxHost
import ShimProtocol

#if canImport(Glibc)
import Glibc
#endif

/// wharf-shim TASK_STATE_DIRECTORY TASK_STORAGE_DIRECTORY
/// wharf-shim --standby
///
/// The per-task supervisor. Spawned by the runtime as soon as the task directory exists, as a
/// session leader of its own (the task outlives the runtime and its terminal); the runtime
/// records its pid. It starts up, prepares the containers that start at once when the runtime
/// says it may, then waits for the runtime's start message (see `SupervisorStart`), which comes
/// once the task's cgroups, network and plan are ready, with the task's network namespace. It runs the task to its end, releases the task's resources and
/// exits. Its whole record is the task's state directory (see `TaskLayout`). Spawned on standby
/// instead (see `SupervisorStart`), it waits for the runtime to give it its task's directories first.

let arguments = CommandLine.arguments
let standby = arguments.count == 2 && arguments[1] == SupervisorStart.standbyArgument
guard standby || arguments.count == 3 else {
    report("usage: wharf-shim TASK_STATE_DIRECTORY TASK_STORAGE_DIRECTORY | wharf-shim \(SupervisorStart.standbyArgument)")
    exit(2)
}
// Nothing but the start socket belongs to the task of what the spawner had open.
wharf_close_from(UInt32(SupervisorStart.socketDescriptor + 1))
let layout: TaskLayout
if standby {
    do {
        guard let adopted = try awaitAdoption() else { exit(0) }
        layout = adopted
    } catch {
        report("\(error)")
        exit(1)
    }
} else {
    layout = TaskLayout(directory: arguments[1], storageDirectory: arguments[2])
}
wharf_set_child_subreaper()
let namespaceDescriptor = TaskResources.inheritedNetworkNamespaceDescriptor
/// Containers prepared on the runtime's prepare message, by name (see `PreparedContainer`).
var prepared: [String: PreparedContainer] = [:]
let receivedNamespace: Int32?
do {
    waiting: while true {
        switch try awaitStartSignal() {
        case .prepare(let planFD):
            PreparedContainer.abandonAll(prepared)
            prepared = prepareContainers(planFD: planFD, layout: layout)
            // Their logs too, while the runtime still works on the network (it makes the logs
            // directory right after the prepare message; one not there yet is opened at the
            // container's start).
            for (name, container) in prepared { container.log = try? OpenedLog(path: layout.log(of: name)) }
            // Named in supervisor.pid while the runtime still attaches the network, after the
            // containers' head start (the runtime checks before the start, and writes the same
            // line itself if this has not happened by then).
            if let identity = ProcessIdentity.of(pid: getpid()) {
                try FileSystem.writeAtomically(layout.supervisorPID, identity.description + "\n")
            }
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
    // Closed only as the process exits, after STOPPED is recorded (see TaskTeardown.netfilter).
    let netfilter = plan.resources.publishedPorts == nil ? nil : try? NetfilterTables()
    for failure in TaskTeardown(plan: plan, networkNamespaceFD: networkNamespaceFD, netfilter: netfilter).run() {
        report("teardown: \(failure)")
    }
    events.append(.taskStopped(at: Clock.wallNanoseconds()))
    withExtendedLifetime(netfilter) { exit(0) }
} catch {
    report("\(error)")
    PreparedContainer.abandonAll(prepared)
    exit(1)
}

/// Prepares the containers that start at once (those without dependencies) of the plan in
/// `planFD` (the plan without the network; closed here). Only a head start: a container that
/// cannot be prepared (or a plan that cannot be read) is left to start the ordinary way, which
/// reports why it cannot. (One with a volume below /sys fails its prepared start with EXDEV and
/// is started the ordinary way then, see `Supervisor`.)
func prepareContainers(planFD: Int32?, layout: TaskLayout) -> [String: PreparedContainer] {
    guard let planFD else { return [:] }
    defer { close(planFD) }
    let plan: SupervisorPlan
    do {
        plan = try SupervisorPlan(decoding: try FileSystem.read(descriptor: planFD, name: "the plan to prepare"))
    } catch {
        report("prepare: \(error)")
        return [:]
    }
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
