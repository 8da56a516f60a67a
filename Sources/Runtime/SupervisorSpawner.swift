import CWharfLaunch
import Foundation
import LinuxHost
import ShimProtocol

/// Starts a task's supervisor (`wharf-shim TASKDIR`) with posix_spawn, which is safe from a
/// multi-threaded Swift process: no Swift code runs in the child before exec.
enum SupervisorSpawner {
    /// Spawns the supervisor in a session of its own (so a terminal's signals to this process
    /// group never reach it) and returns its pid once it has exec'd (glibc's posix_spawn
    /// returns only then). `networkNamespaceFD`, when given, becomes the supervisor's
    /// descriptor `TaskResources.inheritedNetworkNamespaceDescriptor`; nothing else of this
    /// process is inherited. The caller reaps the child (`SupervisorReaper`).
    static func spawn(binary: String, layout: TaskLayout, networkNamespaceFD: Int32?) throws(SystemError) -> pid_t {
        let step = "start the supervisor \(binary) for \(layout.directory)"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, layout.supervisorLog, O_WRONLY | O_CREAT | O_APPEND, 0o644)

        // dup2 onto itself would keep close-on-exec set: hand over a copy at another number.
        var copy: Int32 = -1
        defer { if copy >= 0 { close(copy) } }
        if var namespaceFD = networkNamespaceFD {
            let target = TaskResources.inheritedNetworkNamespaceDescriptor
            if namespaceFD == target {
                copy = fcntl(namespaceFD, F_DUPFD_CLOEXEC, target + 1)
                guard copy >= 0 else { throw SystemError.current(step: step, call: "fcntl(F_DUPFD_CLOEXEC)") }
                namespaceFD = copy
            }
            posix_spawn_file_actions_adddup2(&actions, namespaceFD, target)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | WHARF_POSIX_SPAWN_SETSID))

        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(binary), strdup(layout.directory), nil]
        defer { for argument in argv { free(argument) } }
        let environment: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), nil]
        defer { for variable in environment { free(variable) } }

        var pid: pid_t = 0
        let result = posix_spawn(&pid, binary, &actions, &attributes, argv, environment)
        guard result == 0 else {
            throw SystemError(step: step, call: "posix_spawn", errno: result)
        }
        return pid
    }
}
