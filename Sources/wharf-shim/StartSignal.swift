import CWharfLaunch
import LinuxHost
import ShimProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Waits on the start socket for the runtime's start message (see `SupervisorStart`), then
/// closes the socket and moves the network namespace that came with it, if any, to
/// `TaskResources.inheritedNetworkNamespaceDescriptor`, whose number it returns.
///
/// End of file means the runtime abandoned the launch: the supervisor exits at once, having
/// touched nothing.
func awaitStart() throws(SystemError) -> Int32? {
    let socket = SupervisorStart.socketDescriptor
    var buffer = [UInt8](repeating: 0, count: 64)
    var namespaceFD: Int32 = -1
    let count = buffer.withUnsafeMutableBytes { wharf_receive_with_fd(socket, $0.baseAddress, $0.count, &namespaceFD) }
    guard count >= 0 else { throw SystemError.current(step: "wait for the start message", call: "recvmsg") }
    close(socket)
    guard count > 0 else { exit(0) }
    guard Array(buffer[0..<count]) == SupervisorStart.message else {
        if namespaceFD >= 0 { close(namespaceFD) }
        throw SystemError(step: "wait for the start message: got \(count) unexpected bytes", call: "recvmsg", errno: EPROTO)
    }
    guard namespaceFD >= 0 else { return nil }
    let target = TaskResources.inheritedNetworkNamespaceDescriptor
    // dup2 clears close-on-exec on the copy; the namespace must not reach the containers, which
    // join it by setns and have every descriptor above stderr closed on exec anyway.
    guard dup2(namespaceFD, target) == target else {
        throw SystemError.current(step: "take over the network namespace", call: "dup2")
    }
    close(namespaceFD)
    return target
}
