import Foundation

/// Wakes a waiter when files in a directory change (inotify), so waiting for a task state
/// costs no polling delay. Falls back to sleeping when inotify is unavailable.
final class DirectoryWatch {
    private let fd: Int32

    init(path: String) {
        let descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        if descriptor >= 0 {
            let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF)
            if inotify_add_watch(descriptor, path, mask) < 0 {
                close(descriptor)
                fd = -1
                return
            }
        }
        fd = descriptor
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Returns after a change or `milliseconds`, whichever comes first.
    func wait(milliseconds: Int32) {
        guard fd >= 0 else {
            usleep(UInt32(max(1, milliseconds)) * 1000)
            return
        }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&descriptor, 1, milliseconds) > 0 {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
        }
    }
}
