import CWharfLaunch
import LinuxHost
import ShimProtocol

#if canImport(Glibc)
import Glibc
#endif

/// What came on the start socket (see `SupervisorStart`).
enum StartSignal {
    /// Containers may be prepared, from the plan without the network that came with the message
    /// in a memory file (now the caller's to close; nil if none came).
    case prepare(planFD: Int32?)
    /// The task may start, in the network namespace that came with it, now at
    /// `TaskResources.inheritedNetworkNamespaceDescriptor` (nil: none came).
    case start(networkNamespaceFD: Int32?)
    /// End of file: the runtime abandoned the launch.
    case abandoned
}

/// Waits on the start socket, as a supervisor on standby, for the task to supervise: its task's
/// directories, or nil at end of file (the runtime let this supervisor go unused). Standard error
/// then goes to the task's supervisor log, as it does from the spawn for a supervisor spawned
/// for its task.
func awaitAdoption() throws(SystemError) -> TaskLayout? {
    let socket = SupervisorStart.socketDescriptor
    var buffer = [UInt8](repeating: 0, count: SupervisorStart.adoptMessageMaximumLength)
    var strayFD: Int32 = -1
    let count = buffer.withUnsafeMutableBytes { wharf_receive_with_fd(socket, $0.baseAddress, $0.count, &strayFD) }
    if strayFD >= 0 { close(strayFD) }
    guard count >= 0 else { throw SystemError.current(step: "wait for a task to supervise", call: "recvmsg") }
    guard count > 0 else { return nil }
    guard let layout = SupervisorStart.layout(adoptMessage: buffer[0..<count]) else {
        throw SystemError(step: "wait for a task to supervise: got \(count) unexpected bytes", call: "recvmsg", errno: EPROTO)
    }
    let log = open(layout.supervisorLog, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard log >= 0 else { throw SystemError.current(step: "open the supervisor log in \(layout.directory)", call: "open") }
    // dup2 clears close-on-exec on standard error, as the spawn's own open would have left it.
    guard dup2(log, STDERR_FILENO) == STDERR_FILENO else {
        close(log)
        throw SystemError.current(step: "make the supervisor log standard error", call: "dup2")
    }
    close(log)
    return layout
}

/// Waits on the start socket for the runtime's next message. On the start message it closes the
/// socket and moves the network namespace that came with it, if any, to
/// `TaskResources.inheritedNetworkNamespaceDescriptor`.
func awaitStartSignal() throws(SystemError) -> StartSignal {
    let socket = SupervisorStart.socketDescriptor
    var buffer = [UInt8](repeating: 0, count: 64)
    // The descriptor that comes with a message: the network namespace, or the prepare message's plan.
    var namespaceFD: Int32 = -1
    let count = buffer.withUnsafeMutableBytes { wharf_receive_with_fd(socket, $0.baseAddress, $0.count, &namespaceFD) }
    guard count >= 0 else { throw SystemError.current(step: "wait for the start message", call: "recvmsg") }
    guard count > 0 else {
        close(socket)
        return .abandoned
    }
    let received = Array(buffer[0..<count])
    if received == SupervisorStart.prepareMessage { return .prepare(planFD: namespaceFD >= 0 ? namespaceFD : nil) }
    close(socket)
    guard received == SupervisorStart.message else {
        if namespaceFD >= 0 { close(namespaceFD) }
        throw SystemError(step: "wait for the start message: got \(count) unexpected bytes", call: "recvmsg", errno: EPROTO)
    }
    guard namespaceFD >= 0 else { return .start(networkNamespaceFD: nil) }
    let target = TaskResources.inheritedNetworkNamespaceDescriptor
    // dup2 clears close-on-exec on the copy; the namespace must not reach the containers, which
    // join it by setns and have every descriptor above stderr closed on exec anyway.
    guard dup2(namespaceFD, target) == target else {
        throw SystemError.current(step: "take over the network namespace", call: "dup2")
    }
    close(namespaceFD)
    return .start(networkNamespaceFD: target)
}
