import Foundation

/// Wakes a waiter when files in a directory change (inotify), so waiting for a task state
/// costs no polling delay. Falls back to sleeping when inotify is unavailable.
///
/// Made by a `DirectoryWatchPool`, and handed back to it when the wait is over.
final class DirectoryWatch {
    /// The inotify instance (`-1`: none, sleep instead).
    fileprivate let fd: Int32
    /// The watch on the directory (`-1`: none).
    fileprivate var watchDescriptor: Int32 = -1

    fileprivate init(fd: Int32) {
        self.fd = fd
    }

    static let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF)

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
        drain()
        return true
    }

    /// Reads every queued event (the descriptor is non-blocking).
    fileprivate func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
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

    /// A watch on `path`; give it back with `recycle(_:)`.
    func watch(_ path: String) -> DirectoryWatch {
        let reused = lock.withLock { idle.popLast() }
        let fd = reused ?? inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        let watch = DirectoryWatch(fd: fd)
        if fd >= 0 { watch.watchDescriptor = inotify_add_watch(fd, path, DirectoryWatch.mask) }
        return watch
    }

    /// Removes the watch and keeps the instance for the next `watch(_:)`.
    func recycle(_ watch: DirectoryWatch) {
        guard watch.fd >= 0 else { return }
        if watch.watchDescriptor >= 0 {
            inotify_rm_watch(watch.fd, watch.watchDescriptor)
            watch.watchDescriptor = -1
        }
        // Events of the old watch (and its IN_IGNORED) must not wake the next waiter.
        watch.drain()
        let kept = lock.withLock { () -> Bool in
            guard idle.count < Self.maximumIdle else { return false }
            idle.append(watch.fd)
            return true
        }
        if !kept { close(watch.fd) }
    }
}
