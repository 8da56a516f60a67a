import CWharfLaunch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Network namespaces held by descriptors, not by files: a namespace lives while a process is in
// it or a descriptor refers to it. Wharf's tasks are pinned by the descriptor their supervisor
// holds, so a namespace can never outlive every process that knows of it, and launching a task
// adds no mount to the host (an `ip netns`-style bind mount per task grew the host's mount
// table, which every container's new mount namespace then copied, and made launches slower the
// more tasks ran).
//
// Everything here switches only the *calling thread* (setns/unshare with CLONE_NEWNET are
// per-thread) and always switches back before returning, so no other thread and no later code
// on this thread ever runs in the wrong namespace. None of it forks.

/// Creating and entering network namespaces.
public enum NetworkNamespace {
    /// The calling thread's own network namespace. `/proc/thread-self` rather than
    /// `/proc/self`: the latter names the main thread, which may be somewhere else.
    static let currentThreadPath = "/proc/thread-self/ns/net"

    /// Creates a new, empty network namespace and returns a descriptor of it (`O_CLOEXEC`).
    ///
    /// The descriptor is the namespace's only reference: the caller owns it, passes it on (to a
    /// supervisor, which keeps the namespace alive for its task) or closes it, after which the
    /// kernel destroys the namespace and every interface in it once no process is inside.
    ///
    /// Works on the calling thread: `unshare(CLONE_NEWNET)`, open the thread's new namespace,
    /// then `setns` back to the namespace the thread had before, which is opened first so the
    /// way back is known before leaving. The thread is back in its original namespace when this
    /// returns or throws.
    public static func create() throws(SystemError) -> Int32 {
        let step = "create a network namespace"
        let original = try openCurrent()
        defer { close(original) }
        guard wharf_unshare(WHARF_CLONE_NEWNET) == 0 else {
            throw SystemError.current(step: step, call: "unshare(CLONE_NEWNET)")
        }
        let created = Glibc.open(currentThreadPath, O_RDONLY | O_CLOEXEC)
        let openErrno = Glibc.errno
        // Back before anything else can happen on this thread, whether or not the open worked.
        returnToNamespace(original, step: step)
        guard created >= 0 else {
            throw SystemError(step: step, call: "open(\(currentThreadPath))", errno: openErrno)
        }
        return created
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
