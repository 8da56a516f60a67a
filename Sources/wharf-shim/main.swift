import CWharfLaunch
import LinuxHost
import ShimProtocol

#if canImport(Glibc)
import Glibc
#endif

/// wharf-shim TASK_DIRECTORY
///
/// The per-task supervisor. Started by the runtime once the task's network, cgroups and plan
/// are ready; detaches into its own session so the task outlives the runtime; runs the task to
/// its end; releases its resources; exits. Its whole record is the task directory.

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    report("usage: wharf-shim TASK_DIRECTORY")
    exit(2)
}
let layout = TaskLayout(directory: arguments[1])

// Detach: the runtime's child exits at once (after naming the supervisor in supervisor.pid),
// so the runtime never holds a zombie and the supervisor belongs to no runtime process.
// This process is still single-threaded here, so forking it is safe.
let child = fork()
if child < 0 {
    report("\(SystemError.current(step: "detach the supervisor", call: "fork"))")
    exit(1)
}
if child > 0 {
    let identity = ProcessIdentity.of(pid: child) ?? ProcessIdentity(pid: child, startTime: 0)
    do {
        try FileSystem.writeAtomically(layout.supervisorPID, identity.description + "\n")
    } catch {
        report("\(error)")
        kill(child, SIGKILL)
        _exit(1)
    }
    _exit(0)
}
setsid()
// Nothing the spawner had open belongs to the task.
wharf_close_from(3)
wharf_set_child_subreaper()

do {
    let plan = try SupervisorPlan(decoding: try FileSystem.read(layout.plan))
    let events = try EventLog(path: layout.events)
    events.append(.supervisorStarted(pid: getpid(), at: Clock.wallNanoseconds()))
    let supervisor = try Supervisor(plan: plan, layout: layout, events: events)
    supervisor.run()
    for failure in TaskTeardown(plan: plan).run() {
        report("teardown: \(failure)")
    }
    events.append(.taskStopped(at: Clock.wallNanoseconds()))
    exit(0)
} catch {
    report("\(error)")
    exit(1)
}
