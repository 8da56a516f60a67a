import CWharfLaunch
import Foundation
import LinuxHost
import ShimProtocol

/// Starts a task's supervisor (`wharf-shim TASKDIR`) with posix_spawn, which is safe from a
/// multi-threaded Swift process: no Swift code runs in the child before exec.
enum SupervisorSpawner {
    /// A supervisor that runs and waits for its start message (see `SupervisorStart`).
    struct Spawned {
        let pid: pid_t
        /// The runtime's end of the start socket; `start` or `abandon` closes it.
        let startSocket: Int32

        /// Whether the supervisor has exited (a standby one killed while it waited); if so it is
        /// reaped here and its socket closed.
        func reapIfExited() -> Bool {
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return false }
            close(startSocket)
            return true
        }

        /// Gives a supervisor spawned on standby its task (see `SupervisorStart`). If the message
        /// cannot be sent (the supervisor died while it waited), it is reaped before this throws.
        func adopt(_ layout: TaskLayout) throws(SystemError) {
            let message = SupervisorStart.adoptMessage(for: layout)
            guard message.count <= SupervisorStart.adoptMessageMaximumLength else {
                abandon()
                throw SystemError(step: "hand \(layout.directory) to the standby supervisor \(pid)", call: "sendmsg", errno: ENAMETOOLONG)
            }
            let sent = message.withUnsafeBytes { wharf_send_with_fd(startSocket, $0.baseAddress, $0.count, -1) }
            guard sent == 0 else {
                let error = SystemError.current(step: "hand \(layout.directory) to the standby supervisor \(pid)", call: "sendmsg")
                abandon()
                throw error
            }
        }

        /// Lets the supervisor prepare the containers that start at once, handing it `plan` (the
        /// plan without the network) in an anonymous memory file: no file on disk is made and
        /// replaced for it. Only a head start: if it cannot be sent the supervisor is gone, and
        /// the start message, which can then not be sent either, fails the launch.
        func prepare(plan: String) {
            let file = wharf_memfd("wharf-plan")
            guard file >= 0 else { return }
            defer { close(file) }
            guard (try? FileSystem.writeAll(file, Array(plan.utf8), step: "write the plan to prepare")) != nil else { return }
            _ = SupervisorStart.prepareMessage.withUnsafeBytes {
                wharf_send_with_fd(startSocket, $0.baseAddress, $0.count, file)
            }
        }

        /// Lets the supervisor start the task, handing it the task's network namespace. If the
        /// message cannot be sent the launch is abandoned (see `abandon`) before this throws.
        func start(networkNamespaceFD: Int32?) throws(SystemError) {
            let sent = SupervisorStart.message.withUnsafeBytes {
                wharf_send_with_fd(startSocket, $0.baseAddress, $0.count, networkNamespaceFD ?? -1)
            }
            guard sent == 0 else {
                let error = SystemError.current(step: "start the supervisor \(pid)", call: "sendmsg")
                abandon()
                throw error
            }
            close(startSocket)
        }

        /// Tells the supervisor the launch is off and reaps it: it sees end of file, kills and
        /// reaps the containers it prepared (their mounts go with their mount namespaces), exits
        /// without having touched the task's resources, and is gone when this returns.
        func abandon() {
            close(startSocket)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
    }

    /// Spawns the supervisor in a session of its own (so a terminal's signals to this process
    /// group never reach it) with its end of a new start socket as
    /// `SupervisorStart.socketDescriptor` and nothing else of this process, and returns once it
    /// has exec'd (glibc's posix_spawn returns only then). The caller reaps the child
    /// (`SupervisorReaper`).
    ///
    /// Without `layout` the supervisor is spawned on standby (`SupervisorStart.standbyArgument`,
    /// standard error on `/dev/null` until ``Spawned/adopt(_:)`` gives it a task).
    static func spawn(binary: String, layout: TaskLayout?) throws(SystemError) -> Spawned {
        let step = "start the supervisor \(binary) for \(layout?.directory ?? "a task to come")"
        var ends: [Int32] = [-1, -1]
        guard wharf_seqpacket_pair(&ends) == 0 else { throw SystemError.current(step: step, call: "socketpair") }
        let runtimeEnd = ends[0]
        var supervisorEnd = ends[1]
        // dup2 onto itself would keep close-on-exec set: hand over a copy at another number.
        if supervisorEnd == SupervisorStart.socketDescriptor {
            let copy = fcntl(supervisorEnd, F_DUPFD_CLOEXEC, SupervisorStart.socketDescriptor + 1)
            close(supervisorEnd)
            guard copy >= 0 else {
                close(runtimeEnd)
                throw SystemError.current(step: step, call: "fcntl(F_DUPFD_CLOEXEC)")
            }
            supervisorEnd = copy
        }
        defer { close(supervisorEnd) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, layout?.supervisorLog ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        // The socket is close-on-exec; dup2 hands the supervisor a copy without the flag.
        posix_spawn_file_actions_adddup2(&actions, supervisorEnd, SupervisorStart.socketDescriptor)

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

        let arguments = layout.map { [$0.directory, $0.storageDirectory] } ?? [SupervisorStart.standbyArgument]
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(binary)] + arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        let environment: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), nil]
        defer { for variable in environment { free(variable) } }

        var pid: pid_t = 0
        let result = posix_spawn(&pid, binary, &actions, &attributes, argv, environment)
        guard result == 0 else {
            close(runtimeEnd)
            throw SystemError(step: step, call: "posix_spawn", errno: result)
        }
        return Spawned(pid: pid, startSocket: runtimeEnd)
    }
}
