/// How the runtime lets a supervisor it spawned early start its task.
///
/// The runtime spawns the supervisor as soon as the task directory exists, so the supervisor's
/// exec and start-up run while the runtime is still creating the task's cgroups and network.
/// The supervisor then waits on a socket, inherited as `socketDescriptor`, for its messages:
/// - `prepareMessage`, once the containers' directories exist (the cgroups may not yet), with the
///   plan as it is without the network attached (SCM_RIGHTS) as a memory file: the supervisor may
///   prepare the containers that start at once (everything up to their cgroups, network
///   namespace, host name, /sys and output);
/// - `message` when the plan is written whole and the task may start, with the task's network
///   namespace attached (SCM_RIGHTS) when it has one. The supervisor moves that namespace to
///   `TaskResources.inheritedNetworkNamespaceDescriptor`.
///
/// End of file instead means the launch was abandoned (it failed, or the runtime died): the
/// supervisor kills what it prepared and exits without touching anything else.
///
/// A supervisor may also be spawned before there is a task for it, on standby
/// (`standbyArgument` in place of the task directory, standard error on `/dev/null`), so that a
/// launch does not wait for a process to start. Its first message is then the adopt message,
/// `adoptMessagePrefix` followed by the task directory, after which it opens its log in that
/// directory and goes on as above. End of file before it means the runtime let it go unused:
/// it exits.
public enum SupervisorStart {
    /// The supervisor's end of the start socket.
    public static let socketDescriptor: Int32 = 3
    /// The start message.
    public static let message: [UInt8] = Array("start".utf8)
    /// The message that the containers may be prepared (it comes first, and may not come at all).
    public static let prepareMessage: [UInt8] = Array("prepare".utf8)
    /// The argument a supervisor on standby is spawned with, in place of a task directory.
    public static let standbyArgument = "--standby"
    /// What comes before the task directory in the message giving a standby supervisor its task.
    public static let adoptMessagePrefix: [UInt8] = Array("adopt ".utf8)
    /// The longest adopt message: the prefix and a path of up to `PATH_MAX` (4096) bytes.
    public static let adoptMessageMaximumLength = 6 + 4096
}
