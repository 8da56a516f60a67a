import Foundation
import LinuxHost
import ShimProtocol

/// Starts a task's supervisor (`wharf-shim TASKDIR`) with posix_spawn, which is safe from a
/// multi-threaded Swift process: no Swift code runs in the child before exec.
enum SupervisorSpawner {
    /// Spawns the supervisor and waits for its detaching parent to exit, after which
    /// `supervisor.pid` names the long-lived supervisor.
    static func spawn(binary: String, layout: TaskLayout) throws(SystemError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, layout.supervisorLog, O_WRONLY | O_CREAT | O_APPEND, 0o644)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(binary), strdup(layout.directory), nil]
        defer { for argument in argv { free(argument) } }
        let environment: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), nil]
        defer { for variable in environment { free(variable) } }

        var pid: pid_t = 0
        let result = posix_spawn(&pid, binary, &actions, &attributes, argv, environment)
        guard result == 0 else {
            throw SystemError(step: "start the supervisor \(binary) for \(layout.directory)", call: "posix_spawn", errno: result)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            throw SystemError(
                step: "start the supervisor for \(layout.directory) (it exited with status \(status); see supervisor.log)",
                call: "waitpid", errno: 0)
        }
    }
}
