/// How the runtime lets a supervisor it spawned early start its task.
///
/// The runtime spawns the supervisor as soon as the task directory exists, so the supervisor's
/// exec and start-up run while the runtime is still creating the task's cgroups and network.
/// The supervisor then waits on a socket, inherited as `socketDescriptor`, for one message:
/// `message` when the plan is written and the task may start, with the task's network
/// namespace attached (SCM_RIGHTS) when it has one. The supervisor moves that namespace to
/// `TaskResources.inheritedNetworkNamespaceDescriptor`. End of file instead means the launch was
/// abandoned (it failed, or the runtime died): the supervisor exits without touching anything.
public enum SupervisorStart {
    /// The supervisor's end of the start socket.
    public static let socketDescriptor: Int32 = 3
    /// The start message.
    public static let message: [UInt8] = Array("start".utf8)
}
