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
/// A supervisor spawned for its task gets the task's two directories (`TaskLayout`) as its
/// arguments, state first. One may also be spawned before there is a task for it, on standby
/// (`standbyArgument` in place of the directories, standard error on `/dev/null`), so that a
/// launch does not wait for a process to start. Its first message is then the adopt message
/// (`adoptMessage(for:)`), after which it opens its log in the task's state directory and goes
/// on as above. End of file before it means the runtime let it go unused:
/// it exits.
public enum SupervisorStart {
    /// The supervisor's end of the start socket.
    public static let socketDescriptor: Int32 = 3
    /// The start message.
    public static let message: [UInt8] = Array("start".utf8)
    /// The message that the containers may be prepared (it comes first, and may not come at all).
    public static let prepareMessage: [UInt8] = Array("prepare".utf8)
    /// The argument a supervisor on standby is spawned with, in place of a task's directories.
    public static let standbyArgument = "--standby"
    /// What comes before the task's directories in the message giving a standby supervisor its task.
    public static let adoptMessagePrefix: [UInt8] = Array("adopt ".utf8)
    /// The longest adopt message: the prefix and two paths of up to `PATH_MAX` (4096) bytes
    /// with the NUL byte between them.
    public static let adoptMessageMaximumLength = 6 + 4096 + 1 + 4096

    /// The message giving a standby supervisor the task of `layout`: the prefix, the state
    /// directory, a NUL byte (which no path contains), the storage directory.
    public static func adoptMessage(for layout: TaskLayout) -> [UInt8] {
        adoptMessagePrefix + Array(layout.directory.utf8) + [0] + Array(layout.storageDirectory.utf8)
    }

    /// The layout an adopt message names, or nil if `message` is not one.
    public static func layout(adoptMessage message: ArraySlice<UInt8>) -> TaskLayout? {
        guard message.starts(with: adoptMessagePrefix) else { return nil }
        let paths = message.dropFirst(adoptMessagePrefix.count).split(separator: 0, omittingEmptySubsequences: false)
        guard paths.count == 2, !paths[0].isEmpty, !paths[1].isEmpty else { return nil }
        return TaskLayout(directory: String(decoding: paths[0], as: UTF8.self), storageDirectory: String(decoding: paths[1], as: UTF8.self))
    }
}
