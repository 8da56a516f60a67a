import Foundation

/// Wakes a waiter when files in a directory change (inotify), so waiting for a task state
/// costs no polling delay. Falls back to sleeping when inotify is unavailable.
///
/// Made by a `DirectoryWatchPool`; hands its inotify instance back to that pool when released,
/// so no instance leaks whichever way the waiter leaves.
final class DirectoryWatch {
    /// The inotify instance (`-1`: none, sleep instead).
    private let fd: Int32
    /// The watch on the directory (`-1`: none).
    private let watchDescriptor: Int32
    private let pool: DirectoryWatchPool

    fileprivate init(fd: Int32, watchDescriptor: Int32, pool: DirectoryWatchPool) {
        self.fd = fd
        self.watchDescriptor = watchDescriptor
        self.pool = pool
    }

    deinit {
        pool.recycle(fd: fd, watchDescriptor: watchDescriptor)
    }

    /// Returns after a change or `milliseconds`, whichever comes first; `true` when a change
    /// was seen (without inotify: never).
    @discardableResult
    func wait(milliseconds: Int32) -> Bool {
        guard fd >= 0, watchDescriptor >= 0 else {
            usleep(UInt32(max(1, milliseconds)) * 1000)
            return false
        }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return false }
        DirectoryWatchPool.drain(fd)
        return true
    }
}

/// Keeps inotify instances for reuse by `wait`.
///
/// Closing an inotify instance makes the closing thread wait for an SRCU grace period while
/// the kernel destroys its notification group (10-20 ms measured, the largest part of the time
/// between a task's STOPPED and `wait` returning). Removing a watch instead frees it in the
/// background, so an instance whose watch is removed is kept and used again.
final class DirectoryWatchPool: @unchecked Sendable {
    /// Idle instances kept; more are closed (each counts against `max_user_instances`).
    static let maximumIdle = 8

    private let lock = NSLock()
    private var idle: [Int32] = []

    deinit {
        for fd in idle { close(fd) }
    }

    /// A watch on `path`; its instance comes back here when the watch is released.
    func watch(_ path: String) -> DirectoryWatch {
        let reused = lock.withLock { idle.popLast() }
        let fd = reused ?? inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        let watchDescriptor = fd >= 0 ? inotify_add_watch(fd, path, TaskDirectoryChanges.inotifyMask) : -1
        return DirectoryWatch(fd: fd, watchDescriptor: watchDescriptor, pool: self)
    }

    /// Removes the watch and keeps the instance for the next `watch(_:)` (closes it when
    /// enough are kept already).
    fileprivate func recycle(fd: Int32, watchDescriptor: Int32) {
        guard fd >= 0 else { return }
        if watchDescriptor >= 0 { inotify_rm_watch(fd, watchDescriptor) }
        // Events of the old watch (and its IN_IGNORED) must not wake the next waiter.
        Self.drain(fd)
        let kept = lock.withLock { () -> Bool in
            guard idle.count < Self.maximumIdle else { return false }
            idle.append(fd)
            return true
        }
        if !kept { close(fd) }
    }

    /// Reads every queued event of inotify instance `fd` (non-blocking).
    fileprivate static func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }
}
