import LinuxHost

#if canImport(Glibc)
import Glibc
#endif

/// Keeps the root of the default state directories (`RuntimeConfiguration.stateRoot`) on
/// tmpfs. The tasks' state describes processes that a reboot ends, so it must go with a reboot
/// (a starting runtime takes storage without state for a dead task's, see
/// `ContainerRuntime.removeOrphanedStorage`), and it is written several times per launch, which
/// costs microseconds in memory against a tenth of a millisecond or more per file on disk.
/// systemd hosts have `/run` on tmpfs already; on a host whose `/run` is a disk directory (a
/// container or VM image without systemd), the runtime mounts a tmpfs on the root itself, as
/// that host's `/run` would have been.
public enum StateRoot {
    /// Where the root's state lives after ``keepInMemory(_:)``.
    public enum Placement: Equatable, Sendable {
        /// It was on tmpfs (or ramfs) already.
        case inMemory
        /// A tmpfs was mounted on it just now.
        case mounted
        /// It stays on disk, for the reason given (a file there that a mount would hide).
        case onDisk(reason: String)
    }

    /// The `source` the mount shows in `/proc/self/mountinfo`.
    public static let mountSource = "wharf-state"

    /// Makes sure `root` is on tmpfs: mounts one on it unless it is in memory already or holds
    /// anything but (empty) directories, which a mount would hide from every runtime using them
    /// (a task of a runtime that started before this one mounted it). Runtimes starting at once
    /// decide in turn, under an exclusive `flock` on `ROOT.lock`, so only one of them mounts.
    public static func keepInMemory(_ root: String) throws(SystemError) -> Placement {
        try FileSystem.makeDirectories(root, mode: 0o700)
        if try FileSystem.isInMemory(root) { return .inMemory }
        let lockPath = root + ".lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw SystemError.current(step: "open \(lockPath)", call: "open") }
        defer { close(lock) }
        _ = try retryingOnInterrupt(step: "lock \(lockPath)", call: "flock") { flock(lock, LOCK_EX) }
        // Again under the lock: another runtime may have mounted it meanwhile.
        if try FileSystem.isInMemory(root) { return .inMemory }
        if let held = try FileSystem.firstNonDirectory(below: root) {
            return .onDisk(reason: "\(held) is there, which a tmpfs mounted on \(root) would hide")
        }
        try FileSystem.mountTmpfs(at: root, source: mountSource, mode: 0o700)
        return .mounted
    }
}
