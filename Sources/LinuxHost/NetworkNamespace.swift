import CWharfLaunch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Network namespaces as files (the `ip netns` convention): a namespace stays alive while an
// nsfs bind mount of it exists, so a task's network outlives any single process and the
// supervisor can join it later by opening the file.
//
// Everything here switches only the *calling thread* (setns/unshare with CLONE_NEWNET are
// per-thread) and always switches back before returning, so no other thread and no later code
// on this thread ever runs in the wrong namespace. None of it forks.

/// Creating, opening and removing named network namespaces.
public enum NetworkNamespace {
    /// The calling thread's own network namespace. `/proc/thread-self` rather than
    /// `/proc/self`: the latter names the main thread, which may be somewhere else.
    static let currentThreadPath = "/proc/thread-self/ns/net"

    /// Creates `directory` for namespace files and, like `ip netns add` does for `/run/netns`,
    /// makes it a shared mount of itself, once, before any namespace is created in it. Use a
    /// directory dedicated to namespace files (e.g. `/run/wharf/netns`). Call it while nothing
    /// else creates namespaces there: two first-time calls racing would both bind-mount the
    /// directory onto itself.
    public static func prepareDirectory(_ directory: String) throws(SystemError) {
        let step = "prepare network namespace directory \(directory)"
        try FileSystem.makeDirectories(directory)
        try makeSharedMount(directory, step: step)
    }

    /// Creates a new, empty network namespace and pins it at `path` with a bind mount.
    ///
    /// The parent directory must have been prepared by `prepareDirectory(_:)` (once, not per
    /// namespace): it is a shared mount of itself, so the bind mounts below it propagate to
    /// mount namespaces cloned later (containers), and `remove(at:)`'s unmount propagates too,
    /// instead of leaving copies that keep the namespace alive and make the file busy.
    ///
    /// Works on the calling thread: `unshare(CLONE_NEWNET)`, bind-mount the thread's new
    /// namespace onto `path`, then `setns` back to the namespace the thread had before, which
    /// is opened first so the way back is known before leaving. The thread is back in its
    /// original namespace when this returns or throws.
    ///
    /// - Throws: `SystemError` naming the failing step; `EEXIST` when `path` already exists.
    public static func create(at path: String) throws(SystemError) {
        let step = "create network namespace at \(path)"
        // The mount point must exist as a file; O_EXCL so two tasks never share a namespace.
        let placeholder = try retryingOnInterrupt(step: step, call: "open(O_CREAT|O_EXCL)") {
            Glibc.open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0)
        }
        close(placeholder)

        let original: Int32
        do {
            original = try retryingOnInterrupt(step: step, call: "open(\(currentThreadPath))") {
                Glibc.open(currentThreadPath, O_RDONLY | O_CLOEXEC)
            }
        } catch {
            unlink(path)
            throw error
        }
        defer { close(original) }

        guard wharf_unshare(WHARF_CLONE_NEWNET) == 0 else {
            let error = SystemError.current(step: step, call: "unshare(CLONE_NEWNET)")
            unlink(path)
            throw error
        }
        let mounted = mount(currentThreadPath, path, "none", UInt(MS_BIND), nil)
        let mountErrno = Glibc.errno
        // Back before anything else can happen on this thread, whether or not the mount worked.
        returnToNamespace(original, step: step)

        guard mounted == 0 else {
            unlink(path)
            throw SystemError(step: step, call: "mount(MS_BIND)", errno: mountErrno)
        }
    }

    /// Unmounts and deletes the namespace file at `path`. The namespace itself is freed by the
    /// kernel once no process, socket or open descriptor refers to it any more.
    ///
    /// A missing file or a file that is not mounted is not an error, so removal is idempotent.
    public static func remove(at path: String) throws(SystemError) {
        let step = "remove network namespace at \(path)"
        // MNT_DETACH: an open descriptor or a process inside must not make removal fail.
        if umount2(path, Int32(MNT_DETACH)) != 0 {
            let code = Glibc.errno
            // EINVAL: exists but is not a mount point (e.g. a half-created namespace).
            if code != ENOENT && code != EINVAL {
                throw SystemError(step: step, call: "umount2(MNT_DETACH)", errno: code)
            }
        }
        if unlink(path) != 0 && Glibc.errno != ENOENT {
            throw SystemError.current(step: step, call: "unlink")
        }
    }

    /// Opens the namespace file at `path` and returns the descriptor (`O_CLOEXEC`). The caller
    /// owns it and must `close` it. Holding it keeps the namespace alive.
    public static func open(at path: String) throws(SystemError) -> Int32 {
        try retryingOnInterrupt(step: "open network namespace at \(path)", call: "open") {
            Glibc.open(path, O_RDONLY | O_CLOEXEC)
        }
    }

    /// Opens the calling thread's current network namespace (`O_CLOEXEC`); the caller closes it.
    public static func openCurrent() throws(SystemError) -> Int32 {
        try retryingOnInterrupt(step: "open current network namespace", call: "open(\(currentThreadPath))") {
            Glibc.open(currentThreadPath, O_RDONLY | O_CLOEXEC)
        }
    }

    /// Moves the calling thread back into `original`. There is no way to continue safely if
    /// this fails: the thread would run unrelated later work (other tasks, the daemon's own
    /// sockets) inside a task's namespace. It cannot fail in practice (we opened `original`
    /// ourselves from this thread and we have the capability we just used to leave it).
    static func returnToNamespace(_ original: Int32, step: @autoclosure () -> String) {
        if wharf_setns(original, WHARF_CLONE_NEWNET) != 0 {
            let error = SystemError.current(step: step(), call: "setns(back to original)")
            fatalError("thread stuck in a foreign network namespace: \(error)")
        }
    }

    /// Makes `directory` a shared mount, first bind-mounting it onto itself if it is not a
    /// mount point yet (making a non-mount-point shared fails with `EINVAL`).
    static func makeSharedMount(_ directory: String, step: String) throws(SystemError) {
        // Not recursive: pins created below a shared mount join its peer group anyway, and a
        // recursive change would walk every task's pin on every launch (linear in task count).
        let shared = UInt(MS_SHARED)
        if mount("none", directory, nil, shared, nil) == 0 { return }
        guard Glibc.errno == EINVAL else { throw SystemError.current(step: step, call: "mount(MS_SHARED)") }
        guard mount(directory, directory, "none", UInt(MS_BIND | MS_REC), nil) == 0 else {
            throw SystemError.current(step: step, call: "mount(MS_BIND self)")
        }
        guard mount("none", directory, nil, shared, nil) == 0 else {
            throw SystemError.current(step: step, call: "mount(MS_SHARED)")
        }
    }
}

/// Runs `body` with the calling thread inside the network namespace `fd`, then returns the
/// thread to the namespace it was in, whether `body` returns or throws.
///
/// Sockets created inside `body` stay bound to that namespace for their whole life, which is
/// how the daemon talks to a task's network without moving any thread there for longer than
/// one call. `body` is synchronous on purpose: an `await` could resume on another thread and
/// leave this one in the task's namespace.
public func withNetworkNamespace<Result>(
    fd: Int32, _ body: () throws(SystemError) -> Result
) throws(SystemError) -> Result {
    let step = "enter network namespace (fd \(fd))"
    let original = try NetworkNamespace.openCurrent()
    defer { close(original) }
    guard wharf_setns(fd, WHARF_CLONE_NEWNET) == 0 else {
        throw SystemError.current(step: step, call: "setns(CLONE_NEWNET)")
    }
    defer { NetworkNamespace.returnToNamespace(original, step: step) }
    return try body()
}
